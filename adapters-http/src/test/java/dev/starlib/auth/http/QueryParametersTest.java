package dev.starlib.auth.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    @Test
    void decodesPercentEncodingAndPlus() {
        QueryParameters query = QueryParameters.parse("return_to=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fa%3Db&d=a+b%2Bc%C3%A9");

        assertThat(query.optional("return_to")).hasValue("http://localhost:3000/cb?a=b");
        assertThat(query.optional("d")).hasValue("a b+cé");
    }

    @Test
    void asciiEdgesDecodeToTheSameChars() {
        QueryParameters query = QueryParameters.parse("a=%00%7F~%25&b=plain.text-_~&c=%e2%82%ac");

        assertThat(query.optional("a")).hasValue("\u0000\u007f~%");
        assertThat(query.optional("b")).hasValue("plain.text-_~");
        assertThat(query.optional("c")).hasValue("\u20ac");
    }

    @Test
    void absentParameterIsEmptyAndRequiredOneIsRejected() {
        QueryParameters query = QueryParameters.parse("");

        assertThat(query.optional("state")).isEmpty();
        assertThatThrownBy(() -> query.required("state"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> assertThat(e.problem().error()).isEqualTo("invalid_request"));
    }

    @Test
    void nameWithoutValueIsAnEmptyValue() {
        assertThat(QueryParameters.parse("return_to").optional("return_to")).hasValue("");
        assertThat(QueryParameters.parse("return_to=").optional("return_to")).hasValue("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"state=a&state=b", "state=a&state=a", "state&state=a", "state=a&x=1&state="})
    void repeatedParameterIsRejected(String raw) {
        QueryParameters query = QueryParameters.parse(raw);

        assertThatThrownBy(() -> query.optional("state"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> assertThat(e.problem().detail()).contains("only once"));
    }

    @Test
    void repetitionOfAnotherParameterDoesNotMatter() {
        assertThat(QueryParameters.parse("x=1&x=2&state=s").optional("state")).hasValue("s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"state=%ZZ", "state=%", "state=%4", "state=abc%", "st%ZZate=a", "state=%FF", "state=%C3",
            "state=%C0%AF", "state=%E0%80%80", "state=\u00e9", "state=%\u0661\u0661"})
    void malformedEncodingRejectsTheWholeQuery(String raw) {
        assertThatThrownBy(() -> QueryParameters.parse(raw))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.problem().status().code()).isEqualTo(400);
                    assertThat(e.problem().error()).isEqualTo("invalid_request");
                });
    }

    @Test
    void emptySegmentsAreIgnored() {
        assertThat(QueryParameters.parse("&&state=s&").optional("state")).hasValue("s");
    }
}
