package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Request bodies: any bytes are either one JSON value or refused with an {@link IOException} (which the body
 * reader answers 400 invalid_request); duplicate keys and trailing tokens are always refused.
 */
class ApiJsonPropertyTest {

    @Provide
    Arbitrary<String> brokenJson() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999",
                "\"code\"", "\"state\"", "\\u0000", "\\ud800", "{\"a\":", "\"x\"", "  ", "\u0000", "-", "0x1F", "NaN");
        return fragments.list().ofMaxSize(20).map(list -> String.join("", list));
    }

    @Property(tries = 1000)
    void anyBytesAreOneJsonValueOrAnIoException(@ForAll @net.jqwik.api.constraints.Size(max = 200) byte[] body) {
        Throwable thrown = catchThrowable(() -> ApiJson.parse(body));

        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(IOException.class));
    }

    @Property(tries = 1000)
    void brokenJsonIsAnIoExceptionNeverACrash(@ForAll("brokenJson") String body) {
        Throwable thrown = catchThrowable(() -> ApiJson.parse(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(IOException.class));
    }

    @Property(tries = 1000)
    void aDuplicateKeyIsAlwaysRefused(@ForAll String first, @ForAll String second) throws IOException {
        String json = "{\"code\":" + quoted(first) + ",\"code\":" + quoted(second) + "}";

        assertThat(catchThrowable(() -> ApiJson.parse(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
        JsonNode single = ApiJson.parse(("{\"code\":" + quoted(first) + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(single.get("code").textValue()).isEqualTo(first);
    }

    private static String quoted(String text) {
        return new String(ApiJson.bytes(text), StandardCharsets.UTF_8);
    }
}
