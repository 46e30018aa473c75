package dev.starlib.auth.sandbox;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.starlib.auth.sandbox.SandboxBrowser.authorizeQuery;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /authorize} refuses what a real authorization server refuses, and its pages are safe to show. */
@ServerTest
class SandboxAuthorizePageTest {

    private static final String HOSTILE = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";

    private final SandboxBrowser browser;

    SandboxAuthorizePageTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), Clock.systemUTC()));
    }

    static Stream<Arguments> untrustworthyRequests() {
        return Stream.of(
                Arguments.of("unknown client_id", (Consumer<Map<String, String>>) q -> q.put("client_id", "someone-else")),
                Arguments.of("missing client_id", (Consumer<Map<String, String>>) q -> q.remove("client_id")),
                Arguments.of("other redirect_uri", (Consumer<Map<String, String>>)
                        q -> q.put("redirect_uri", "https://evil.example/steal")),
                Arguments.of("redirect_uri with a different path", (Consumer<Map<String, String>>)
                        q -> q.put("redirect_uri", SandboxBrowser.REDIRECT_URI + "/more")),
                Arguments.of("redirect_uri with an extra query", (Consumer<Map<String, String>>)
                        q -> q.put("redirect_uri", SandboxBrowser.REDIRECT_URI + "?x=1")),
                Arguments.of("missing redirect_uri", (Consumer<Map<String, String>>) q -> q.remove("redirect_uri")),
                Arguments.of("response_type token", (Consumer<Map<String, String>>) q -> q.put("response_type", "token")),
                Arguments.of("missing response_type", (Consumer<Map<String, String>>) q -> q.remove("response_type")),
                Arguments.of("missing code_challenge", (Consumer<Map<String, String>>) q -> q.remove("code_challenge")),
                Arguments.of("short code_challenge", (Consumer<Map<String, String>>) q -> q.put("code_challenge", "abc")),
                Arguments.of("plain challenge method", (Consumer<Map<String, String>>)
                        q -> q.put("code_challenge_method", "plain")),
                Arguments.of("missing challenge method", (Consumer<Map<String, String>>)
                        q -> q.remove("code_challenge_method")),
                Arguments.of("unknown sandbox_user", (Consumer<Map<String, String>>) q -> {
                    q.put("prompt", "none");
                    q.put("sandbox_user", "4242");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrustworthyRequests")
    void anUntrustworthyRequestGetsAnErrorPageAndNoRedirect(String name, Consumer<Map<String, String>> spoil) {
        Map<String, String> query = authorizeQuery(PkcePair.generate(), "s");
        query.put("prompt", "none"); // would redirect at once if the request were accepted
        spoil.accept(query);

        HttpResponse<String> response = browser.authorize(query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("SANDBOX — not SoundCloud", "Sign-in request refused");
    }

    @Test
    void aRepeatedParameterIsRefused() {
        String query = SandboxBrowser.encode(authorizeQuery(PkcePair.generate(), "s")) + "&state=second";

        HttpResponse<String> response = browser.get("/authorize?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("state must not be sent more than once");
    }

    @Test
    void aHostileStateIsEscapedOnTheConsentPage() {
        HttpResponse<String> page = browser.authorize(authorizeQuery(PkcePair.generate(), HOSTILE));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .doesNotContain("<script>alert(1)", "<img src=x")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aHostileRedirectUriIsEscapedOnTheErrorPage() {
        Map<String, String> query = authorizeQuery(PkcePair.generate(), "s");
        query.put("redirect_uri", "https://x.example/" + HOSTILE);

        HttpResponse<String> page = browser.authorize(query);

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).doesNotContain("<script>alert(1)", "<img src=x").contains("&lt;script&gt;");
    }

    @Test
    void theConsentPageIsNotCachedAndAllowsOnlyItsOwnStyleAndForm() {
        HttpResponse<String> page = browser.authorize(authorizeQuery(PkcePair.generate(), "s"));

        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'",
                "form-action 'self' http://127.0.0.1:8000");
        Matcher nonce = Pattern.compile("style-src 'nonce-([^']+)'").matcher(csp);
        assertThat(nonce.find()).isTrue();
        assertThat(page.body()).contains("<style nonce=\"" + nonce.group(1) + "\">");
        assertThat(page.body()).doesNotContain("<script");
    }

    @Test
    void theConsentFormCarriesOnlyARequestIdNotTheRequestParameters() {
        PkcePair pkce = PkcePair.generate();
        HttpResponse<String> page = browser.authorize(authorizeQuery(pkce, "s"));

        String form = page.body().substring(page.body().indexOf("<form"), page.body().indexOf("</form>"));
        assertThat(form).contains("name=\"request_id\"")
                .doesNotContain(pkce.challenge(), "name=\"state\"", "name=\"redirect_uri\"");
    }

    @Test
    void approvingWithoutPickingAUserIsRefused() {
        HttpResponse<String> page = browser.authorize(authorizeQuery(PkcePair.generate(), "s"));

        HttpResponse<String> response = browser.postForm("/authorize",
                Map.of("request_id", SandboxBrowser.requestId(page.body()), "decision", "approve"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }
}
