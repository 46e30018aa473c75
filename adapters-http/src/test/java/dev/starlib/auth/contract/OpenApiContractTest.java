package dev.starlib.auth.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check the route and end-to-end tests rely on: it must refuse what the contract does not document. */
class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.bundled();
    private static final String STATE = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final Map<String, List<String>> API_HEADERS = Map.of(
            "Content-Type", List.of("application/json"),
            "X-Content-Type-Options", List.of("nosniff"),
            "Cache-Control", List.of("no-store"),
            "Pragma", List.of("no-cache"),
            "Referrer-Policy", List.of("no-referrer"),
            "Content-Security-Policy", List.of("default-src 'none'; frame-ancestors 'none'"),
            "Vary", List.of("Origin"));
    private static final String STARTED = "{\"authorization_url\":\"https://secure.soundcloud.com/authorize?x=1\","
            + "\"url\":\"https://secure.soundcloud.com/authorize?x=1\",\"state\":\"" + STATE + "\"}";

    private static Exchange authorize(int status, Map<String, List<String>> headers, String body) {
        return new Exchange("GET", "/auth/soundcloud/authorize", Map.of(), null, status, headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> with(String name, String value) {
        var headers = new java.util.HashMap<>(API_HEADERS);
        headers.put(name, List.of(value));
        return headers;
    }

    @Test
    void documentedExchangePasses() {
        CONTRACT.check(authorize(200, API_HEADERS, STARTED));
    }

    @Test
    void undocumentedFieldFails() {
        String extra = STARTED.replace("{", "{\"expires_at\":1,");

        assertThatThrownBy(() -> CONTRACT.check(authorize(200, API_HEADERS, extra)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expires_at");
    }

    @Test
    void missingFieldFails() {
        assertThatThrownBy(() -> CONTRACT.check(authorize(200, API_HEADERS, STARTED.replaceAll(",\"url\":\"[^\"]*\"", ""))))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void undocumentedStatusFails() {
        assertThatThrownBy(() -> CONTRACT.check(authorize(404, with("Content-Type", "application/problem+json"),
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"x\",\"error\":\"not_found\"}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("404");
    }

    @Test
    void undocumentedHeaderFails() {
        assertThatThrownBy(() -> CONTRACT.check(authorize(200, with("X-Debug-Token", "1"), STARTED)))
                .isInstanceOf(AssertionError.class).hasMessageFindingMatch("(?i)x-debug-token");
    }

    @Test
    void documentedHeaderWithTheWrongValueFails() {
        assertThatThrownBy(() -> CONTRACT.check(authorize(200, with("Cache-Control", "max-age=60"), STARTED)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cache-Control");
    }

    @Test
    void errorCodeNotListedForTheResponseFails() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"x\",\"error\":\"invalid_grant\"}";

        assertThatThrownBy(() -> CONTRACT.check(authorize(400, with("Content-Type", "application/problem+json"), problem)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void requestOutsideTheContractThatSucceedsFails() {
        Exchange refreshWithoutToken = new Exchange("POST", "/auth/soundcloud/refresh",
                Map.of("Content-Type", List.of("application/json")), "{}".getBytes(StandardCharsets.UTF_8), 200,
                API_HEADERS, "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":1}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CONTRACT.check(refreshWithoutToken))
                .isInstanceOf(AssertionError.class).hasMessageContaining("stricter than the service");
    }

    @Test
    void unroutedRequestsMustGetADocumentedAnswer() {
        Exchange wrongMethod = new Exchange("DELETE", "/auth/soundcloud/authorize", Map.of(), null, 405,
                with("Allow", "GET, OPTIONS"), ("{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405,"
                + "\"detail\":\"x\",\"error\":\"method_not_allowed\"}").getBytes(StandardCharsets.UTF_8));
        Exchange wrongMethodTreatedAsFound = new Exchange("DELETE", "/auth/soundcloud/authorize", Map.of(), null, 200,
                API_HEADERS, STARTED.getBytes(StandardCharsets.UTF_8));

        CONTRACT.check(new Exchange(wrongMethod.method(), wrongMethod.target(), Map.of(), null, 405,
                Map.of("Content-Type", List.of("application/problem+json"), "Allow", List.of("GET, OPTIONS"),
                        "X-Content-Type-Options", List.of("nosniff"), "Cache-Control", List.of("no-store"),
                        "Pragma", List.of("no-cache"), "Referrer-Policy", List.of("no-referrer"),
                        "Content-Security-Policy", List.of("default-src 'none'; frame-ancestors 'none'"),
                        "Vary", List.of("Origin")), wrongMethod.responseBody()));
        assertThatThrownBy(() -> CONTRACT.check(wrongMethodTreatedAsFound)).isInstanceOf(AssertionError.class);
    }

    @Test
    void pathsTheContractDoesNotOwnAreNotChecked() {
        assertThat(CONTRACT.violations(new Exchange("GET", "/health", Map.of(), null, 200, Map.of(), null))).isEmpty();
    }

    @Test
    void theInternalAppTokenIsCheckedOnTheOperatorsListenerToo() {
        Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"),
                "X-Content-Type-Options", List.of("nosniff"), "Cache-Control", List.of("no-store"),
                "Pragma", List.of("no-cache"));
        Map<String, List<String>> withKey = Map.of("Authorization", List.of("Bearer k"));
        byte[] token = "{\"access_token\":\"app-token\",\"expires_in\":3599}".getBytes(StandardCharsets.UTF_8);
        byte[] withExtra = "{\"access_token\":\"app-token\",\"expires_in\":3599,\"refresh_token\":\"r\"}"
                .getBytes(StandardCharsets.UTF_8);

        CONTRACT.check(new Exchange("GET", "/internal/soundcloud/app-token", withKey, null, 200, headers, token));
        assertThat(CONTRACT.violations(new Exchange("GET", "/internal/soundcloud/app-token", withKey, null, 200, headers,
                withExtra))).as("the refresh token is never handed out").isNotEmpty();
        assertThat(CONTRACT.violations(new Exchange("GET", "/internal/soundcloud/app-token", Map.of(), null, 200,
                headers, token))).as("a token without the key").isNotEmpty();
        assertThat(CONTRACT.violations(new Exchange("GET", "/internal/soundcloud/app-token", withKey, null, 200,
                Map.of("Content-Type", List.of("application/json")), token))).as("a token a cache may keep")
                .isNotEmpty();
    }
}
