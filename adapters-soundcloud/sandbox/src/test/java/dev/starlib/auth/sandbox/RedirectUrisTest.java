package dev.starlib.auth.sandbox;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUrisTest {

    @Test
    void parametersArePercentEncodedWithSpacesAsPercent20() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("code", "abc");
        parameters.put("state", "a b&c=d+é");

        URI uri = RedirectUris.withParameters(URI.create("http://127.0.0.1:8000/cb"), parameters);

        assertThat(uri.toString()).isEqualTo("http://127.0.0.1:8000/cb?code=abc&state=a%20b%26c%3Dd%2B%C3%A9");
        assertThat(uri.getQuery()).isEqualTo("code=abc&state=a b&c=d+é");
    }

    @Test
    void anExistingQueryOfTheRegisteredUriIsKept() {
        URI uri = RedirectUris.withParameters(URI.create("https://app.example/cb?flow=web"), Map.of("code", "c"));

        assertThat(uri.toString()).isEqualTo("https://app.example/cb?flow=web&code=c");
    }
}
