package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;

import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /sign-out} ends the session of an access token, as SoundCloud's does: that pair dies, others live. */
@ServerTest
class SandboxSignOutEndpointTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    private final SandboxBrowser browser;

    SandboxSignOutEndpointTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), CLOCK));
    }

    @Test
    void signingOutKillsTheAccessTokenAndTheRefreshTokenIssuedWithIt() {
        JsonNode tokens = browser.tokens();
        String access = tokens.path("access_token").asText();

        HttpResponse<String> signedOut = signOut("OAuth " + access);

        assertThat(signedOut.statusCode()).isEqualTo(200);
        assertThat(browser.me("OAuth " + access).statusCode()).isEqualTo(401);
        HttpResponse<String> refresh = browser.refresh(tokens.path("refresh_token").asText());
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(json(refresh).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void anotherSessionOfTheSameUserLivesOn() {
        JsonNode mine = browser.tokens();
        JsonNode other = browser.tokens();

        signOut("OAuth " + mine.path("access_token").asText());

        assertThat(browser.me("OAuth " + other.path("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(browser.refresh(other.path("refresh_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensIssuedByARefreshAreOneSessionOfTheirOwn() {
        JsonNode first = browser.tokens();
        JsonNode refreshed = json(browser.refresh(first.path("refresh_token").asText()));

        signOut("OAuth " + refreshed.path("access_token").asText());

        assertThat(browser.refresh(refreshed.path("refresh_token").asText()).statusCode()).isEqualTo(400);
    }

    @Test
    void aTokenThatIsNotLiveIs401() {
        String access = browser.tokens().path("access_token").asText();
        signOut("OAuth " + access);

        HttpResponse<String> again = signOut("OAuth " + access);

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(json(again).path("error").asText()).isEqualTo("invalid_token");
        assertThat(signOut("Bearer " + browser.tokens().path("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(browser.post("/sign-out", "application/json", "").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> signOut(String authorization) {
        return browser.postWithHeaders("/sign-out", "Authorization", authorization);
    }
}
