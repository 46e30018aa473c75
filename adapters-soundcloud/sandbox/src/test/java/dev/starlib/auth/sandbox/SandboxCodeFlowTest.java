package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static dev.starlib.auth.sandbox.SandboxBrowser.REDIRECT_URI;
import static dev.starlib.auth.sandbox.SandboxBrowser.authorizeQuery;
import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static dev.starlib.auth.sandbox.SandboxBrowser.redirectParameters;
import static dev.starlib.auth.sandbox.SandboxBrowser.withoutQuery;
import static org.assertj.core.api.Assertions.assertThat;

/** The authorization code flow through a real port, as the backend and a tester's browser go through it. */
@ServerTest
class SandboxCodeFlowTest {

    private static final String AUTO_MOUNT = "/auto-approving/soundcloud";

    private final SandboxBrowser browser;
    private final SandboxBrowser autoApproving;

    SandboxCodeFlowTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
        this.autoApproving = new SandboxBrowser(server, AUTO_MOUNT);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), Clock.systemUTC()))
                .register(AUTO_MOUNT, new SandboxSoundCloud(SandboxBrowser.settings(true), Clock.systemUTC()));
    }

    @Test
    void approvingOnTheConsentPageLeadsToTokensAndTheChosenUser() {
        PkcePair pkce = PkcePair.generate();

        HttpResponse<String> page = browser.authorize(authorizeQuery(pkce, "state-123"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("SANDBOX — not SoundCloud", "Ada Lovelace", "Alan Turing", "Approve", "Deny");

        HttpResponse<String> approved = browser.consent(pkce, "state-123", "approve", SandboxUsers.ALAN.id());
        assertThat(withoutQuery(approved)).isEqualTo(REDIRECT_URI);
        Map<String, String> back = redirectParameters(approved);
        assertThat(back).containsEntry("state", "state-123").containsKey("code").doesNotContainKey("error");

        HttpResponse<String> tokenResponse = browser.exchange(back.get("code"), pkce.verifier());
        assertThat(tokenResponse.statusCode()).isEqualTo(200);
        JsonNode tokens = json(tokenResponse);
        assertThat(tokens.path("access_token").asText()).isNotBlank();
        assertThat(tokens.path("refresh_token").asText()).isNotBlank().isNotEqualTo(tokens.path("access_token").asText());
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(tokens.path("scope").isTextual()).isTrue();
        assertThat(tokens.path("token_type").asText()).isEqualTo("bearer");

        JsonNode me = json(browser.me("OAuth " + tokens.path("access_token").asText()));
        assertThat(me.path("id").asLong()).isEqualTo(1002);
        assertThat(me.path("urn").asText()).isEqualTo("soundcloud:users:1002");
        assertThat(me.path("username").asText()).isEqualTo("Alan Turing");
        assertThat(me.path("permalink").asText()).isEqualTo("alan-turing");
        assertThat(me.path("avatar_url").asText()).startsWith("https://");
    }

    @Test
    void denyingOnTheConsentPageRedirectsWithAccessDeniedAndNoCode() {
        HttpResponse<String> denied = browser.consent(PkcePair.generate(), "state-d", "deny", SandboxUsers.ADA.id());

        assertThat(withoutQuery(denied)).isEqualTo(REDIRECT_URI);
        assertThat(redirectParameters(denied))
                .containsEntry("error", "access_denied")
                .containsEntry("state", "state-d")
                .containsKey("error_description")
                .doesNotContainKey("code");
    }

    @Test
    void aConsentRequestCanBeAnsweredOnlyOnce() {
        HttpResponse<String> page = browser.authorize(authorizeQuery(PkcePair.generate(), "once"));
        Map<String, String> form = Map.of("request_id", SandboxBrowser.requestId(page.body()),
                "user_id", "1001", "decision", "approve");

        assertThat(browser.postForm("/authorize", form).statusCode()).isEqualTo(303);
        HttpResponse<String> replay = browser.postForm("/authorize", form);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void aForgedConsentRequestIdIsRefused() {
        HttpResponse<String> forged = browser.postForm("/authorize",
                Map.of("request_id", "made-up", "user_id", "1001", "decision", "approve"));

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void promptNoneApprovesAtOnceForTheDefaultUser() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> query = authorizeQuery(pkce, "headless");
        query.put("prompt", "none");

        Map<String, String> back = redirectParameters(browser.authorize(query));

        assertThat(back).containsEntry("state", "headless").containsKey("code");
        String accessToken = json(browser.exchange(back.get("code"), pkce.verifier())).path("access_token").asText();
        assertThat(json(browser.me("OAuth " + accessToken)).path("id").asLong()).isEqualTo(1001);
    }

    @Test
    void promptNoneWithSandboxUserApprovesAsThatUser() {
        PkcePair pkce = PkcePair.generate();
        Map<String, String> query = authorizeQuery(pkce, "headless");
        query.put("prompt", "none");
        query.put("sandbox_user", "1003");

        String code = redirectParameters(browser.authorize(query)).get("code");

        String accessToken = json(browser.exchange(code, pkce.verifier())).path("access_token").asText();
        assertThat(json(browser.me("OAuth " + accessToken)).path("username").asText()).isEqualTo("Grace Hopper");
    }

    @Test
    void approvingAsDeniedDanEndsInAccessDenied() {
        HttpResponse<String> viaPage = browser.consent(PkcePair.generate(), "dan", "approve", SandboxUsers.DENIED_DAN.id());
        Map<String, String> query = authorizeQuery(PkcePair.generate(), "dan");
        query.put("prompt", "none");
        query.put("sandbox_user", "1099");
        HttpResponse<String> headless = browser.authorize(query);

        assertThat(redirectParameters(viaPage)).containsEntry("error", "access_denied").doesNotContainKey("code");
        assertThat(redirectParameters(headless)).containsEntry("error", "access_denied").doesNotContainKey("code");
    }

    @Test
    void autoApproveSettingSkipsTheConsentPage() {
        PkcePair pkce = PkcePair.generate();

        HttpResponse<String> response = autoApproving.authorize(authorizeQuery(pkce, "auto"));

        Map<String, String> back = redirectParameters(response);
        assertThat(back).containsEntry("state", "auto").containsKey("code");
        assertThat(autoApproving.exchange(back.get("code"), pkce.verifier()).statusCode()).isEqualTo(200);
    }

    @Test
    void stateComesBackExactlyAsSentEvenWithReservedCharacters() {
        String state = "a b&c=d/é?+%";
        Map<String, String> query = authorizeQuery(PkcePair.generate(), state);
        query.put("prompt", "none");

        HttpResponse<String> redirect = browser.authorize(query);

        assertThat(redirectParameters(redirect)).containsEntry("state", state);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).doesNotContain(" ", "é");
    }

    @Test
    void redirectsAreNotCachedAndLeakNoReferrer() {
        Map<String, String> query = authorizeQuery(PkcePair.generate(), "s");
        query.put("prompt", "none");

        HttpResponse<String> redirect = browser.authorize(query);

        assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(redirect.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }
}
