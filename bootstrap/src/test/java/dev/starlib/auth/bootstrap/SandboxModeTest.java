package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starlib.auth.store.redis.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SOUNDCLOUD_MODE=sandbox through the real server: no credentials, no network, the production adapters talking
 * to the stand-in on the public port. A headless login, as a frontend's CI would run it.
 */
class SandboxModeTest {

    private static final String RETURN_TO = "tauri://localhost/auth/soundcloud/callback";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTERNAL_KEY = "sandbox-mode-internal-key-0123456789";

    private static StarlibAuth app;
    private static String root;
    @TempDir
    static Path workDir;

    private final CheckedHttp http = new CheckedHttp();

    @BeforeAll
    static void start() throws IOException {
        int port = LoopbackPorts.free();
        root = "http://127.0.0.1:" + port;
        app = StarlibAuth.start(SettingsLoader.load(Map.of(
                "SOUNDCLOUD_MODE", "sandbox",
                "BACKEND_PORT", String.valueOf(port),
                "ADMIN_PORT", "0",
                "SOUNDCLOUD_REDIRECT_URI", root + "/auth/soundcloud/redirect",
                "SANDBOX_TOKEN_LIFETIME_SECONDS", "90",
                "INTERNAL_API_TOKEN", INTERNAL_KEY), workDir), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theBackendsOwnServicesGetAnAppTokenTheSandboxGrantedAndKeeps() throws Exception {
        String admin = "http://127.0.0.1:" + app.adminPort();
        HttpRequest ask = HttpRequest.newBuilder(URI.create(admin + "/internal/soundcloud/app-token"))
                .header("Authorization", "Bearer " + INTERNAL_KEY).GET().build();

        JsonNode first = json(http.send(ask), 200);
        JsonNode second = json(http.send(ask), 200);

        String token = first.get("access_token").asText();
        assertThat(second.get("access_token").asText()).isEqualTo(token);
        assertThat(first.get("expires_in").asLong()).isBetween(1L, 90L);
        // The sandbox knows it as a live token of the app itself, as SoundCloud would: no user's /me.
        HttpResponse<String> me = get(root + "/sandbox/soundcloud/me", "Authorization", "OAuth " + token);
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).contains("app token");
        JsonNode ready = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin + "/observe/health/ready"))
                .GET().build()).body());
        for (JsonNode check : ready.get("checks")) {
            if (check.get("name").asText().equals("clientCredentials")) {
                assertThat(check.get("data").get("accepted").asText()).isEqualTo("yes");
            }
        }
        assertThat(ready.get("status").asText()).isEqualTo("UP");
    }

    @Test
    void headlessLoginThroughTheSandboxYieldsTokensAndATestUser() throws Exception {
        JsonNode started = json(get(root + "/auth/soundcloud/authorize?return_to="
                + URLEncoder.encode(RETURN_TO, StandardCharsets.UTF_8)), 200);
        String state = started.get("state").asText();
        String authorizationUrl = started.get("authorization_url").asText();
        assertThat(authorizationUrl).startsWith(root + "/sandbox/soundcloud/authorize?")
                .contains("client_id=" + SettingsLoader.SANDBOX_CLIENT_ID);

        HttpResponse<String> approved = get(authorizationUrl + "&prompt=none");
        assertThat(approved.statusCode()).isEqualTo(303);
        String backToUs = approved.headers().firstValue("Location").orElseThrow();
        assertThat(backToUs).startsWith(root + "/auth/soundcloud/redirect?code=");

        assertThat(get(root + "/auth/soundcloud/result?state=" + state).statusCode()).as("pending").isEqualTo(404);
        HttpResponse<String> redirected = get(backToUs);
        assertThat(redirected.statusCode()).isEqualTo(303);
        assertThat(redirected.headers().firstValue("Location")).hasValue(RETURN_TO + "?state=" + state);

        JsonNode result = json(get(root + "/auth/soundcloud/result?state=" + state), 200);
        assertThat(result.get("user").get("id").asLong()).isEqualTo(1001);
        assertThat(result.get("user").get("username").asText()).isEqualTo("Ada Lovelace");
        assertThat(result.get("expires_in").asLong()).isBetween(80L, 90L);
        assertThat(get(root + "/auth/soundcloud/result?state=" + state).statusCode()).isEqualTo(410);

        String refreshToken = result.get("refresh_token").asText();
        JsonNode refreshed = json(post("/auth/soundcloud/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}"), 200);
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(refreshToken);
        // Within the reuse window the old token gets the same pair again (the sandbox itself refuses a used token).
        JsonNode reused = json(post("/auth/soundcloud/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}"), 200);
        assertThat(reused.get("refresh_token").asText()).isEqualTo(refreshed.get("refresh_token").asText());
        assertThat(reused.get("access_token").asText()).isEqualTo(refreshed.get("access_token").asText());
    }

    @Test
    void withoutPromptNoneATesterSeesTheConsentPage() throws Exception {
        String authorizationUrl = json(get(root + "/auth/soundcloud/authorize"), 200).get("authorization_url").asText();

        HttpResponse<String> consent = get(authorizationUrl);

        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Ada Lovelace", "Denied Dan");
    }

    @Test
    void deniedConsentReachesTheFrontendAsAccessDenied() throws Exception {
        JsonNode started = json(get(root + "/auth/soundcloud/authorize?return_to="
                + URLEncoder.encode(RETURN_TO, StandardCharsets.UTF_8)), 200);
        String state = started.get("state").asText();

        String backToUs = get(started.get("authorization_url").asText() + "&prompt=none&sandbox_user=1099")
                .headers().firstValue("Location").orElseThrow();
        String toFrontend = get(backToUs).headers().firstValue("Location").orElseThrow();

        assertThat(URLDecoder.decode(toFrontend, StandardCharsets.UTF_8)).contains("error=access_denied", "state=" + state);
        HttpResponse<String> result = get(root + "/auth/soundcloud/result?state=" + state);
        assertThat(result.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(result.body()).get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void donePageSaysItIsTheSandbox() throws Exception {
        HttpResponse<String> done = get(root + "/auth/soundcloud/done");

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Sandbox mode");
    }

    @Test
    void theDashboardWearsTheSandboxBannerAndShowsWhatIsReallyUsed(@TempDir Path dir) throws Exception {
        ServiceSettings settings = SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_PORT", "0",
                "ADMIN_PORT", "0", "ADMIN_PASSWORD", "sandbox-dashboard"), dir);
        assertThat(settings.toString()).as("the start log's settings line")
                .contains("soundCloud=sandbox").doesNotContain("soundcloud.com", "BaseUrl=");
        try (StarlibAuth other = StarlibAuth.start(settings, Clock.systemUTC())) {
            String[] admin = RunningService.basic("admin", "sandbox-dashboard");

            HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + other.adminPort() + "/admin")).headers(admin).GET().build());

            assertThat(dashboard.statusCode()).isEqualTo(200);
            assertThat(dashboard.body())
                    .contains("id=\"warning\">Sandbox mode (SOUNDCLOUD_MODE=sandbox)")
                    .contains("public 127.0.0.1:" + other.port() + " · admin 127.0.0.1:" + other.adminPort())
                    .contains("the in-process stand-in at http://127.0.0.1:" + other.port() + "/sandbox/soundcloud")
                    .doesNotContain("secure.soundcloud.com", "api.soundcloud.com")
                    .doesNotContainPattern("127\\.0\\.0\\.1:0(?!\\d)");
        }
    }

    @Test
    void portZeroIsChosenBeforeTheSandboxIsWired(@TempDir Path dir) throws Exception {
        try (StarlibAuth other = StarlibAuth.start(SettingsLoader.load(Map.of(
                "SOUNDCLOUD_MODE", "sandbox", "BACKEND_PORT", "0", "ADMIN_PORT", "0"), dir), Clock.systemUTC())) {
            String otherRoot = "http://127.0.0.1:" + other.port();

            JsonNode started = json(get(otherRoot + "/auth/soundcloud/authorize"), 200);

            assertThat(other.port()).isPositive();
            assertThat(started.get("authorization_url").asText()).startsWith(otherRoot + "/sandbox/soundcloud/authorize?");
        }
    }

    private HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(root + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as("%s answered %s", response.uri(), response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
