package dev.starlib.auth.soundcloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OAuthErrorTest {

    private static java.util.Optional<String> code(String body) {
        return OAuthError.code(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"error\":\"invalid_grant\"}                       | invalid_grant",
            "{\"error\":\"INVALID_CLIENT\"}                      | invalid_client",
            "{\"error\":\"temporarily.unavailable-2\"}           | temporarily.unavailable-2",
            "{\"error\":\"invalid grant\"}                       | invalid_request",
            "{\"error\":\"\"}                                    | invalid_request",
            "{\"error\":\"token=abc&secret=xyz\"}                | invalid_request",
            "{\"error\":\"é\"}                                   | invalid_request",
            "{\"error\":null,\"error_code\":\"invalid_grant\"}      | invalid_grant",
            "{\"code\":400,\"message\":\"invalid_grant\"}           | invalid_grant",
            "{\"code\":401,\"message\":\"Invalid_Client\"}          | invalid_client"})
    void errorCodeIsReducedToASafeToken(String body, String expected) {
        assertThat(code(body)).contains(expected);
    }

    @Test
    void tooLongErrorCodeBecomesInvalidRequest() {
        assertThat(code("{\"error\":\"" + "x".repeat(65) + "\"}")).contains("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Request", "{\"message\":\"no\"}", "{\"message\":\"rate_limit_exceeded\"}",
            "{\"error\":null}", "{\"error\":401}",
            "{\"error\":{\"code\":\"invalid_grant\"}}", "[\"invalid_grant\"]"})
    void bodyWithoutStringErrorCarriesNoCode(String body) {
        assertThat(code(body)).isEmpty();
    }
}
