package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryStringTest {

    private static final URI CALLBACK = URI.create("http://localhost:3000/auth/soundcloud/callback");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a&b       | a%26b",
            "a=b       | a%3Db",
            "a+b       | a%2Bb",
            "\"a b\"   | a%20b",
            "a#b       | a%23b",
            "a?b       | a%3Fb",
            "a/b       | a%2Fb",
            "a%b       | a%25b",
            "é         | %C3%A9",
            "🎵        | %F0%9F%8E%B5",
            "\"\r\n\"  | %0D%0A",
            "AZaz09-._~ | AZaz09-._~",
    })
    void encodesEverythingButUnreservedCharacters(String raw, String encoded) {
        assertThat(QueryString.encode(raw)).isEqualTo(encoded);
    }

    @Test
    void appendsAQueryToAUrlWithoutOne() {
        assertThat(QueryString.append(CALLBACK, Map.of("state", "abc")))
                .isEqualTo(URI.create("http://localhost:3000/auth/soundcloud/callback?state=abc"));
    }

    @Test
    void appendsToAUrlWithoutAPath() {
        assertThat(QueryString.append(URI.create("http://localhost:3000"), Map.of("state", "abc")))
                .isEqualTo(URI.create("http://localhost:3000?state=abc"));
    }

    @Test
    void keepsAnExistingQueryAndAppendsInOrder() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", "access_denied");
        parameters.put("state", "abc");

        assertThat(QueryString.append(URI.create("http://localhost:3000/cb?lang=en&x=%20y"), parameters))
                .isEqualTo(URI.create("http://localhost:3000/cb?lang=en&x=%20y&error=access_denied&state=abc"));
    }

    @Test
    void keepsAFragmentAtTheEnd() {
        assertThat(QueryString.append(URI.create("http://localhost:3000/cb?lang=en#section"), Map.of("state", "abc")))
                .isEqualTo(URI.create("http://localhost:3000/cb?lang=en&state=abc#section"));
        assertThat(QueryString.append(URI.create("tauri://localhost/#/callback"), Map.of("state", "abc")))
                .isEqualTo(URI.create("tauri://localhost/?state=abc#/callback"));
    }

    @Test
    void encodesNamesAndValuesSoNoParameterCanBeInjected() {
        URI uri = QueryString.append(CALLBACK, Map.of("error_description", "a b&state=forged#x+é"));

        assertThat(uri.getRawQuery()).isEqualTo("error_description=a%20b%26state%3Dforged%23x%2B%C3%A9");
        assertThat(uri.getRawFragment()).isNull();
        assertThat(uri.getQuery()).isEqualTo("error_description=a b&state=forged#x+é");
    }

    @Test
    void returnToWithParametersKeepsItsQueryAndEncodes() {
        ReturnTo returnTo = new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback?lang=en"));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error_description", "You did not allow it & that's fine");
        parameters.put("state", "abc");

        assertThat(returnTo.withParameters(parameters)).isEqualTo(URI.create(
                "http://localhost:3000/auth/soundcloud/callback?lang=en"
                        + "&error_description=You%20did%20not%20allow%20it%20%26%20that%27s%20fine&state=abc"));
    }
}
