package dev.starlib.auth.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Query parsing: what a browser encodes comes back exactly; anything else is a clean 400, never a crash. */
class QueryParametersPropertyTest {

    @Provide
    Arbitrary<Map<String, String>> parameters() {
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.strings().ofMaxLength(60);
        return Arbitraries.maps(names, values).ofMaxSize(6);
    }

    @Property(tries = 2000)
    void whatABrowserEncodesIsReadBackExactly(@ForAll("parameters") Map<String, String> sent) {
        String raw = sent.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));

        QueryParameters query = QueryParameters.parse(raw);

        sent.forEach((name, value) -> assertThat(query.optional(name)).hasValue(value));
    }

    @Property(tries = 5000)
    void anyRawQueryIsEitherReadOrRefusedAsAnInvalidRequest(@ForAll String raw) {
        Throwable thrown = catchThrowable(() -> {
            QueryParameters query = QueryParameters.parse(raw);
            query.optional("state");
            query.optional("return_to");
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(RejectedRequest.class);
            Problem problem = ((RejectedRequest) thrown).problem();
            assertThat(problem.status().code()).isEqualTo(400);
            assertThat(problem.error()).isEqualTo("invalid_request");
        }
    }

    @Property(tries = 1000)
    void aParameterSentTwiceIsRefusedWhicheverValuesItCarries(@ForAll String first, @ForAll String second) {
        String raw = "state=" + URLEncoder.encode(first, StandardCharsets.UTF_8)
                + "&state=" + URLEncoder.encode(second, StandardCharsets.UTF_8);

        assertThat(catchThrowable(() -> QueryParameters.parse(raw).optional("state")))
                .isInstanceOf(RejectedRequest.class);
    }
}
