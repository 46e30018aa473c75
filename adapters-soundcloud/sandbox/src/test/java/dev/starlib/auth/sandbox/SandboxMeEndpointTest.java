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

import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /me} answers only to SoundCloud's {@code Authorization: OAuth <token>} with a live token. */
@ServerTest
class SandboxMeEndpointTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
    private static final Duration LIFETIME = Duration.ofSeconds(30);

    private final SandboxBrowser browser;

    SandboxMeEndpointTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        var settings = new SandboxSettings(SandboxBrowser.CLIENT_ID, SandboxBrowser.CLIENT_SECRET,
                URI.create(SandboxBrowser.REDIRECT_URI), LIFETIME, false);
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(settings, CLOCK));
    }

    @Test
    void theOAuthSchemeWithALiveTokenGetsTheUser() {
        JsonNode tokens = browser.tokens();

        HttpResponse<String> me = browser.me("OAuth " + tokens.path("access_token").asText());

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode user = json(me);
        assertThat(user.path("id").asLong()).isEqualTo(1001);
        assertThat(user.path("urn").asText()).isEqualTo("soundcloud:users:1001");
        assertThat(user.path("username").asText()).isEqualTo("Ada Lovelace");
        assertThat(user.path("permalink").asText()).isEqualTo("ada-lovelace");
        assertThat(user.path("avatar_url").asText()).isNotBlank();
    }

    @Test
    void theConfiguredLifetimeIsTheExpiresIn() {
        assertThat(browser.tokens().path("expires_in").asLong()).isEqualTo(LIFETIME.toSeconds());
    }

    @Test
    void theBearerSchemeIsRefused() {
        String accessToken = browser.tokens().path("access_token").asText();

        assertUnauthorized(browser.me("Bearer " + accessToken));
    }

    @Test
    void aMissingAuthorizationIsRefused() {
        assertUnauthorized(browser.get("/me"));
    }

    @Test
    void anUnknownTokenIsRefused() {
        assertUnauthorized(browser.me("OAuth not-a-token"));
    }

    @Test
    void aRefreshTokenIsNotAnAccessToken() {
        assertUnauthorized(browser.me("OAuth " + browser.tokens().path("refresh_token").asText()));
    }

    @Test
    void anExpiredTokenIsRefusedAndARefreshedOneWorks() {
        JsonNode tokens = browser.tokens();
        String accessToken = tokens.path("access_token").asText();

        CLOCK.advance(LIFETIME.minusSeconds(1));
        assertThat(browser.me("OAuth " + accessToken).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(1));
        assertUnauthorized(browser.me("OAuth " + accessToken));

        String refreshed = json(browser.refresh(tokens.path("refresh_token").asText())).path("access_token").asText();
        assertThat(browser.me("OAuth " + refreshed).statusCode()).isEqualTo(200);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("OAuth");
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_token");
    }
}
