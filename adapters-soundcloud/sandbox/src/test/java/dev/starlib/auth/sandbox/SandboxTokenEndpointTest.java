package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static dev.starlib.auth.sandbox.SandboxBrowser.tokenForm;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /oauth/token} is as strict as SoundCloud's. */
@ServerTest
class SandboxTokenEndpointTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    private final SandboxBrowser browser;

    SandboxTokenEndpointTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), CLOCK));
    }

    @Test
    void aWrongClientSecretIsInvalidClient() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.put("client_secret", "not-the-secret");

        assertOAuthError(browser.postForm("/oauth/token", form), 401, "invalid_client");
    }

    @Test
    void aMissingClientSecretIsInvalidClient() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.remove("client_secret");

        assertOAuthError(browser.postForm("/oauth/token", form), 401, "invalid_client");
    }

    @Test
    void anUnknownClientIdIsInvalidClient() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.put("client_id", "someone-else");

        assertOAuthError(browser.postForm("/oauth/token", form), 401, "invalid_client");
    }

    @Test
    void aCodeWorksOnceAndItsReuseIsInvalidGrant() {
        PkcePair pkce = PkcePair.generate();
        String code = browser.code(pkce);

        HttpResponse<String> first = browser.exchange(code, pkce.verifier());
        HttpResponse<String> second = browser.exchange(code, pkce.verifier());

        assertThat(first.statusCode()).isEqualTo(200);
        assertOAuthError(second, 400, "invalid_grant");
    }

    @Test
    void aWrongVerifierIsInvalidGrantAndBurnsTheCode() {
        PkcePair pkce = PkcePair.generate();
        String code = browser.code(pkce);

        assertOAuthError(browser.exchange(code, PkcePair.generate().verifier()), 400, "invalid_grant");
        assertOAuthError(browser.exchange(code, pkce.verifier()), 400, "invalid_grant");
    }

    @Test
    void theChallengeItselfIsNotAcceptedAsVerifier() {
        PkcePair pkce = PkcePair.generate();

        assertOAuthError(browser.exchange(browser.code(pkce), pkce.challenge()), 400, "invalid_grant");
    }

    @Test
    void aMissingVerifierIsInvalidGrant() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.remove("code_verifier");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_grant");
    }

    @Test
    void aRedirectUriOtherThanTheAuthorizationRequestsIsInvalidGrant() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.put("redirect_uri", "http://127.0.0.1:8000/auth/soundcloud/other");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_grant");
    }

    @Test
    void aMissingRedirectUriIsInvalidRequest() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> form = codeForm(browser.code(pkce), pkce.verifier());
        form.remove("redirect_uri");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_request");
    }

    @Test
    void aCodeOlderThanSixtySecondsIsInvalidGrant() {
        PkcePair pkce = PkcePair.generate();
        String code = browser.code(pkce);

        CLOCK.advance(Duration.ofSeconds(61));

        assertOAuthError(browser.exchange(code, pkce.verifier()), 400, "invalid_grant");
    }

    @Test
    void aCodeJustUnderSixtySecondsOldStillWorks() {
        PkcePair pkce = PkcePair.generate();
        String code = browser.code(pkce);

        CLOCK.advance(Duration.ofSeconds(59));

        assertThat(browser.exchange(code, pkce.verifier()).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownCodeIsInvalidGrant() {
        assertOAuthError(browser.exchange("never-issued", PkcePair.generate().verifier()), 400, "invalid_grant");
    }

    @Test
    void anotherGrantTypeIsUnsupported() {
        Map<String, String> form = tokenForm("password");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "unsupported_grant_type");
    }

    @Test
    void aMissingGrantTypeIsInvalidRequest() {
        Map<String, String> form = tokenForm("authorization_code");
        form.remove("grant_type");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_request");
    }

    @Test
    void aMissingCodeIsInvalidRequest() {
        Map<String, String> form = codeForm("x", PkcePair.generate().verifier());
        form.remove("code");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_request");
    }

    @Test
    void aRepeatedParameterIsInvalidRequest() {
        PkcePair pkce = PkcePair.generate();
        String body = SandboxBrowser.encode(codeForm(browser.code(pkce), pkce.verifier())) + "&grant_type=refresh_token";

        assertOAuthError(browser.post("/oauth/token", "application/x-www-form-urlencoded", body), 400, "invalid_request");
    }

    @Test
    void aJsonBodyIsInvalidRequest() {
        HttpResponse<String> response = browser.post("/oauth/token", "application/json",
                "{\"grant_type\":\"authorization_code\"}");

        assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void anOversizedBodyIsInvalidRequest() {
        String body = "grant_type=authorization_code&padding=" + "a".repeat(SandboxSoundCloud.MAX_BODY_BYTES);

        assertOAuthError(browser.post("/oauth/token", "application/x-www-form-urlencoded", body), 400, "invalid_request");
    }

    @Test
    void tokenResponsesAreNotCached() {
        PkcePair pkce = PkcePair.generate();

        HttpResponse<String> response = browser.exchange(browser.code(pkce), pkce.verifier());

        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    }

    @Test
    void refreshRotatesAndTheOldRefreshTokenDies() {
        JsonNode first = browser.tokens();
        String oldRefresh = first.path("refresh_token").asText();

        HttpResponse<String> refreshed = browser.refresh(oldRefresh);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode second = json(refreshed);
        assertThat(second.path("refresh_token").asText()).isNotBlank().isNotEqualTo(oldRefresh);
        assertThat(second.path("access_token").asText()).isNotEqualTo(first.path("access_token").asText());
        assertThat(second.path("expires_in").asLong()).isEqualTo(3600);

        assertOAuthError(browser.refresh(oldRefresh), 400, "invalid_grant");
        assertThat(browser.refresh(second.path("refresh_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefreshedAccessTokenServesMe() {
        String refreshed = json(browser.refresh(browser.tokens().path("refresh_token").asText()))
                .path("access_token").asText();

        assertThat(json(browser.me("OAuth " + refreshed)).path("id").asLong()).isEqualTo(1001);
    }

    @Test
    void refreshWithAWrongRedirectUriIsInvalidGrant() {
        Map<String, String> form = tokenForm("refresh_token");
        form.put("refresh_token", browser.tokens().path("refresh_token").asText());
        form.put("redirect_uri", "https://evil.example/cb");

        assertOAuthError(browser.postForm("/oauth/token", form), 400, "invalid_grant");
    }

    @Test
    void refreshNeedsClientAuthentication() {
        Map<String, String> form = tokenForm("refresh_token");
        form.put("refresh_token", browser.tokens().path("refresh_token").asText());
        form.put("client_secret", "wrong");

        assertOAuthError(browser.postForm("/oauth/token", form), 401, "invalid_client");
    }

    @Test
    void aMissingRefreshTokenIsInvalidRequest() {
        assertOAuthError(browser.postForm("/oauth/token", tokenForm("refresh_token")), 400, "invalid_request");
    }

    private static Map<String, String> codeForm(String code, String verifier) {
        Map<String, String> form = tokenForm("authorization_code");
        form.put("code", code);
        form.put("redirect_uri", SandboxBrowser.REDIRECT_URI);
        form.put("code_verifier", verifier);
        return form;
    }

    static void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).isNotBlank();
    }
}
