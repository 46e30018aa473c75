package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.http.ResponseBodies.Authorization;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /authorize} answer is written without the object mapper; a real JSON parser must read back exactly
 * what was put in, whatever the characters, and the document must be the one the mapper wrote before.
 */
class AuthorizationJsonTest {

    private static final String URL = "https://secure.soundcloud.com/authorize?client_id=abc&redirect_uri="
            + "https%3A%2F%2Fauth.example.com%2Fauth%2Fsoundcloud%2Fredirect&response_type=code&code_challenge="
            + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state="
            + "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";
    private static final String STATE = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

    @Test
    void aRealAnswerIsByteForByteWhatTheObjectMapperWrote() {
        Authorization answer = new Authorization(URL, URL, STATE);

        assertThat(new String(answer.json(), StandardCharsets.UTF_8))
                .isEqualTo(new String(ApiJson.bytes(answer), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "\\", "\"}, \"state\": \"forged", "\\\"", "\\u0022", "</script><script>alert(1)</script>",
            "\u0000", "\u001f", "\n\r\t\b\f", "\u007f", "\u0080", "é", "\u2028\u2029", "😀", "\ud800", "\udfff x \ud83d",
            "\ufeff", "\uffff", "", "a\u0000b\"c\\d\u2028e"})
    void hostileCharactersAreReadBackExactly(String hostile) throws IOException {
        assertReadBackExactly(hostile + URL, URL + hostile, hostile);
    }

    @Property(tries = 2_000)
    void anyStringsAreReadBackExactly(@ForAll String authorizationUrl, @ForAll String url, @ForAll String state)
            throws IOException {
        assertReadBackExactly(authorizationUrl, url, state);
    }

    @Property(tries = 1_000)
    void anyPrintableAsciiIsWhatTheObjectMapperWrote(@ForAll @CharRange(from = ' ', to = '~') String url,
                                                     @ForAll @CharRange(from = ' ', to = '~') String state) {
        Authorization answer = new Authorization(url, url, state);

        assertThat(answer.json()).isEqualTo(ApiJson.bytes(answer));
    }

    private static void assertReadBackExactly(String authorizationUrl, String url, String state) throws IOException {
        byte[] json = new Authorization(authorizationUrl, url, state).json();

        JsonNode parsed = ApiJson.parse(json);

        assertThat(parsed.isObject()).isTrue();
        assertThat(parsed.fieldNames()).toIterable().containsExactly("authorization_url", "url", "state");
        assertThat(parsed.get("authorization_url").textValue()).isEqualTo(authorizationUrl);
        assertThat(parsed.get("url").textValue()).isEqualTo(url);
        assertThat(parsed.get("state").textValue()).isEqualTo(state);
        for (byte b : json) {
            assertThat(b).as("plain ASCII, no raw control character").isBetween((byte) 0x20, (byte) 0x7E);
        }
    }
}
