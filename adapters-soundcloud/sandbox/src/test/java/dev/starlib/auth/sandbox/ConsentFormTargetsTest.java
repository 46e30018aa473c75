package dev.starlib.auth.sandbox;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.starlib.auth.sandbox.SandboxBrowser.authorizeQuery;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent form's CSP allows every origin on the redirect chain Approve starts: Chromium checks form-action at
 * each hop, so a web flow whose redirect URI sends the browser on to the app's page needs that page's origin too.
 */
@ServerTest
class ConsentFormTargetsTest {

    private final SandboxBrowser browser;

    ConsentFormTargetsTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(new SandboxSettings(SandboxBrowser.CLIENT_ID,
                SandboxBrowser.CLIENT_SECRET, URI.create(SandboxBrowser.REDIRECT_URI), Duration.ofHours(1), false,
                List.of("http://localhost:3000", "tauri://localhost", "http://127.0.0.1:8000",
                        "http://evil.example; script-src *")), Clock.systemUTC()));
    }

    @Test
    void formActionAllowsTheRedirectUriAndEveryOnwardOriginButNothingElse() {
        String csp = browser.authorize(authorizeQuery(PkcePair.generate(), "s")).headers()
                .firstValue("Content-Security-Policy").orElseThrow();

        assertThat(csp).contains("form-action 'self' http://127.0.0.1:8000 http://localhost:3000 tauri://localhost;")
                .doesNotContain("evil.example", "script-src");
    }
}
