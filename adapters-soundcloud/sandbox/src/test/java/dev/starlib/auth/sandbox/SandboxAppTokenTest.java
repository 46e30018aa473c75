package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.starlib.auth.sandbox.SandboxBrowser.CLIENT_ID;
import static dev.starlib.auth.sandbox.SandboxBrowser.CLIENT_SECRET;
import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static dev.starlib.auth.sandbox.SandboxBrowser.tokenForm;
import static dev.starlib.auth.sandbox.SandboxTokenEndpointTest.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's client-credentials grant: HTTP Basic and nothing else, tokens for no user, its two failure switches. */
@ServerTest
class SandboxAppTokenTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    private final SandboxBrowser browser;

    SandboxAppTokenTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), CLOCK));
    }

    @BeforeEach
    void resetSwitches() {
        browser.post("/control/reset", "application/json", "");
    }

    private static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> grantType() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        return form;
    }

    private HttpResponse<String> grant(String authorization) {
        return browser.postForm("/oauth/token", grantType(), "Authorization", authorization);
    }

    @Test
    void basicCredentialsGetAnAppTokenWithARefreshToken() {
        HttpResponse<String> response = grant(basic(CLIENT_ID, CLIENT_SECRET));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode tokens = json(response);
        assertThat(tokens.get("access_token").asText()).isNotBlank();
        assertThat(tokens.get("refresh_token").asText()).isNotBlank();
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void theAppTokenIsLiveButBelongsToNoUser() {
        String token = json(grant(basic(CLIENT_ID, CLIENT_SECRET))).get("access_token").asText();

        HttpResponse<String> me = browser.me("OAuth " + token);

        assertOAuthError(me, 401, "invalid_token");
        assertThat(json(me).get("error_description").asText()).contains("app token");
        assertThat(json(browser.me("OAuth not-a-token")).get("error_description").asText()).contains("invalid or expired");
    }

    @Test
    void theAppTokensRefreshTokenRotatesLikeAnyOther() {
        String refresh = json(grant(basic(CLIENT_ID, CLIENT_SECRET))).get("refresh_token").asText();

        HttpResponse<String> first = browser.refresh(refresh);
        HttpResponse<String> second = browser.refresh(refresh);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(browser.me("OAuth " + json(first).get("access_token").asText())).get("error_description")
                .asText()).contains("app token");
        assertOAuthError(second, 400, "invalid_grant");
    }

    @Test
    void withoutBasicOrWithWrongCredentialsTheClientIsInvalid() {
        for (String authorization : new String[] {basic(CLIENT_ID, "wrong"), basic("someone-else", CLIENT_SECRET),
                "Basic not-base64!", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()),
                "Bearer " + CLIENT_SECRET}) {
            HttpResponse<String> response = grant(authorization);
            assertOAuthError(response, 401, "invalid_client");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Basic"));
        }
        assertOAuthError(browser.postForm("/oauth/token", grantType()), 401, "invalid_client");
    }

    @Test
    void theCredentialsInTheBodyInsteadOfOrBesideBasicAreRefused() {
        assertOAuthError(browser.postForm("/oauth/token", tokenForm("client_credentials")), 400, "invalid_request");
        assertOAuthError(browser.postForm("/oauth/token", tokenForm("client_credentials"), "Authorization",
                basic(CLIENT_ID, CLIENT_SECRET)), 400, "invalid_request");
    }

    @Test
    void basicOnAnotherGrantIsRefused() {
        Map<String, String> form = tokenForm("refresh_token");
        form.put("refresh_token", json(grant(basic(CLIENT_ID, CLIENT_SECRET))).get("refresh_token").asText());

        assertOAuthError(browser.postForm("/oauth/token", form, "Authorization", basic(CLIENT_ID, CLIENT_SECRET)),
                400, "invalid_request");
    }

    @Test
    void theRateLimitSwitchAnswers429WithSoundCloudsResetTime() {
        browser.putJson("/control", "{\"app_token_failure\":\"rate_limited\"}");

        HttpResponse<String> response = grant(basic(CLIENT_ID, CLIENT_SECRET));

        assertThat(response.statusCode()).isEqualTo(429);
        JsonNode meta = json(response).get("errors").get(0).get("meta");
        assertThat(meta.get("reset_time").asText()).isEqualTo("2025/01/01 10:01:00 +0000");
        assertThat(meta.get("remaining_requests").asInt()).isZero();
        assertThat(meta.get("rate_limit").get("group").asText()).isEqualTo("client_credentials");
    }

    @Test
    void theInvalidClientSwitchRefusesEvenTheRightCredentials() {
        browser.putJson("/control", "{\"app_token_failure\":\"invalid_client\"}");

        assertOAuthError(grant(basic(CLIENT_ID, CLIENT_SECRET)), 401, "invalid_client");
        assertThat(json(browser.get("/control")).get("app_token_failure").asText()).isEqualTo("invalid_client");
    }
}
