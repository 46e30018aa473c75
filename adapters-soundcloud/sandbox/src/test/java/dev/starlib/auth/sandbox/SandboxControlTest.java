package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.starlib.auth.sandbox.SandboxBrowser.authorizeQuery;
import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static dev.starlib.auth.sandbox.SandboxBrowser.redirectParameters;
import static dev.starlib.auth.sandbox.SandboxTokenEndpointTest.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault switches a frontend test flips through {@code /control}, and what each one does. */
@ServerTest
class SandboxControlTest {

    private static final String DEFAULTS =
            "{\"deny_consent\":false,\"token_failure\":\"none\",\"slow_ms\":15000,\"refresh_failure\":\"none\",\"expires_in\":null,"
                    + "\"app_token_failure\":\"none\"}";

    private final SandboxBrowser browser;

    SandboxControlTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), Clock.systemUTC()));
    }

    @AfterEach
    void reset() {
        assertThat(browser.post("/control/reset", "application/json", "").statusCode()).isEqualTo(200);
    }

    @Test
    void theSwitchesStartAtTheirDefaults() throws IOException {
        HttpResponse<String> response = browser.get("/control");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(SandboxBrowser.JSON.readTree(DEFAULTS));
    }

    @Test
    void putReplacesAllSwitchesAndAnswersTheNewSet() throws IOException {
        browser.putJson("/control", "{\"deny_consent\":true,\"expires_in\":5}");

        HttpResponse<String> replaced = browser.putJson("/control", "{\"token_failure\":\"slow\",\"slow_ms\":100}");

        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced)).isEqualTo(SandboxBrowser.JSON.readTree(
                "{\"deny_consent\":false,\"token_failure\":\"slow\",\"slow_ms\":100,\"refresh_failure\":\"none\",\"expires_in\":null,"
                        + "\"app_token_failure\":\"none\"}"));
        assertThat(json(browser.get("/control"))).isEqualTo(json(replaced));
    }

    @Test
    void resetRestoresTheDefaults() throws IOException {
        browser.putJson("/control", "{\"deny_consent\":true,\"refresh_failure\":\"invalid_grant\"}");

        HttpResponse<String> reset = browser.post("/control/reset", "application/json", "");

        assertThat(json(reset)).isEqualTo(SandboxBrowser.JSON.readTree(DEFAULTS));
        assertThat(json(browser.get("/control"))).isEqualTo(SandboxBrowser.JSON.readTree(DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"deny_consnet\":true}", "{\"token_failure\":\"explode\"}", "{\"deny_consent\":\"yes\"}",
            "{\"slow_ms\":-1}", "{\"expires_in\":\"soon\"}", "{\"expires_in\":-5}", "[]", "not json"})
    void anInvalidPutIsRefusedAndChangesNothing(String body) throws IOException {
        HttpResponse<String> response = browser.putJson("/control", body);

        assertProblem(response, 400, "invalid_request");
        assertThat(json(browser.get("/control"))).isEqualTo(SandboxBrowser.JSON.readTree(DEFAULTS));
    }

    @Test
    void putNeedsAJsonContentType() {
        HttpResponse<String> response = browser.put("/control", "text/plain", "{\"deny_consent\":true}");

        assertProblem(response, 415, "unsupported_media_type");
        assertThat(json(browser.get("/control")).path("deny_consent").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"DELETE, /control, 'GET, PUT'", "GET, /control/reset, POST", "PUT, /oauth/token, POST",
            "DELETE, /me, GET", "PUT, /authorize, 'GET, POST'"})
    void anotherMethodOnAPathTheSandboxServesIs405WithAllow(String method, String path, String allowed) {
        HttpResponse<String> response = browser.send(method, path);

        assertProblem(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue(allowed);
    }

    @Test
    void anUnknownPathUnderTheSandboxIsANotFoundProblem() {
        HttpResponse<String> response = browser.get("/controls");

        assertProblem(response, 404, "not_found");
        assertThat(json(response).path("detail").asText()).contains("/control");
    }

    /** The sandbox speaking as itself (not as SoundCloud): RFC 9457 problem JSON with an error code. */
    static void assertProblem(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json(response);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.path("title").asText()).isNotBlank();
    }

    @Test
    void denyConsentTurnsAutoApprovalIntoAccessDenied() {
        browser.putJson("/control", "{\"deny_consent\":true}");
        Map<String, String> query = authorizeQuery(PkcePair.generate(), "s");
        query.put("prompt", "none");

        assertThat(redirectParameters(browser.authorize(query)))
                .containsEntry("error", "access_denied").containsEntry("state", "s").doesNotContainKey("code");
    }

    @Test
    void denyConsentTurnsApproveOnTheConsentPageIntoAccessDeniedAndSaysSo() {
        browser.putJson("/control", "{\"deny_consent\":true}");

        HttpResponse<String> page = browser.authorize(authorizeQuery(PkcePair.generate(), "s"));
        HttpResponse<String> answer = browser.consent(PkcePair.generate(), "s", "approve", SandboxUsers.ADA.id());

        assertThat(page.body()).contains("deny_consent");
        assertThat(redirectParameters(answer)).containsEntry("error", "access_denied").doesNotContainKey("code");
    }

    @Test
    void tokenServerErrorAnswers500AndLeavesTheCodeUsable() {
        PkcePair pkce = PkcePair.generate();
        String code = browser.code(pkce);
        browser.putJson("/control", "{\"token_failure\":\"server_error\"}");

        HttpResponse<String> failed = browser.exchange(code, pkce.verifier());
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(json(failed).path("error").asText()).isEqualTo("server_error");

        browser.post("/control/reset", "application/json", "");
        assertThat(browser.exchange(code, pkce.verifier()).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenUnavailableAnswers503WithRetryAfter() {
        browser.putJson("/control", "{\"token_failure\":\"unavailable\"}");
        PkcePair pkce = PkcePair.generate();

        HttpResponse<String> response = browser.exchange("any-code", pkce.verifier());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void tokenGarbageAnswers200WithABodyThatIsNotJson() {
        browser.putJson("/control", "{\"token_failure\":\"garbage\"}");

        HttpResponse<String> response = browser.refresh("any-refresh-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).doesNotContain("json");
        assertThatThrownBy(() -> SandboxBrowser.JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void tokenSlowOutlastsAClientTimeoutThenAnswersNormally() throws IOException {
        browser.putJson("/control", "{\"token_failure\":\"slow\",\"slow_ms\":600}");
        PkcePair impatient = PkcePair.generate();
        Map<String, String> form = exchangeForm(browser.code(impatient), impatient.verifier());

        assertThatThrownBy(() -> browser.postFormWithTimeout("/oauth/token", form, Duration.ofMillis(150)))
                .isInstanceOf(HttpTimeoutException.class);

        PkcePair patient = PkcePair.generate();
        long start = System.nanoTime();
        HttpResponse<String> answered = browser.postFormWithTimeout("/oauth/token",
                exchangeForm(browser.code(patient), patient.verifier()), Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(answered.statusCode()).isEqualTo(200);
    }

    @Test
    void refreshInvalidGrantRefusesRefreshAndRevokesTheToken() {
        String refreshToken = browser.tokens().path("refresh_token").asText();
        browser.putJson("/control", "{\"refresh_failure\":\"invalid_grant\"}");

        assertOAuthError(browser.refresh(refreshToken), 400, "invalid_grant");
        PkcePair pkce = PkcePair.generate();
        assertThat(browser.exchange(browser.code(pkce), pkce.verifier()).statusCode())
                .as("code exchange is not a refresh").isEqualTo(200);

        browser.post("/control/reset", "application/json", "");
        assertOAuthError(browser.refresh(refreshToken), 400, "invalid_grant");
    }

    @Test
    void expiresInOverridesTheLifetimeOfNewAccessTokens() {
        browser.putJson("/control", "{\"expires_in\":0}");

        JsonNode tokens = browser.tokens();

        assertThat(tokens.path("expires_in").asLong()).isZero();
        assertThat(browser.me("OAuth " + tokens.path("access_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void expiresInAppliesToRefreshedTokensToo() {
        String refreshToken = browser.tokens().path("refresh_token").asText();
        browser.putJson("/control", "{\"expires_in\":7}");

        assertThat(json(browser.refresh(refreshToken)).path("expires_in").asLong()).isEqualTo(7);
    }

    private static Map<String, String> exchangeForm(String code, String verifier) {
        Map<String, String> form = SandboxBrowser.tokenForm("authorization_code");
        form.put("code", code);
        form.put("redirect_uri", SandboxBrowser.REDIRECT_URI);
        form.put("code_verifier", verifier);
        return form;
    }
}
