package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.starlib.auth.store.redis.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.starlib.auth.bootstrap.OAuthWire.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's consent page in a real headless Chromium, with a frontend on another origin (a tiny app on a second
 * loopback port that finishes the sign-in server-side, as a Next.js route would): Approve must get the browser all
 * the way to the app, through every redirect, under the page's Content-Security-Policy. Chromium enforces
 * {@code form-action} along the whole chain that follows the form; curl and the JDK's client do not, which is why
 * this runs in a browser. Screenshots land in {@code bootstrap/target/screenshots/}.
 */
class SandboxConsentBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;
    private final List<StarlibAuth> backends = new ArrayList<>();
    private HttpServer frontend;
    private String frontendOrigin;
    private String backendBase;
    private HeadlessChromium chromium;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws IOException {
        frontend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        frontend.createContext("/auth/soundcloud/callback", this::finishSignIn);
        frontend.start();
        // "localhost", not 127.0.0.1: another host and another port, so another origin than the backend's.
        frontendOrigin = "http://localhost:" + frontend.getAddress().getPort();
        chromium = HeadlessChromium.start(workDir);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        backends.forEach(StarlibAuth::close);
        frontend.stop(0);
    }

    @Test
    void webAppOnAnotherOriginThroughTheBackendRedirectLandsInTheApp() throws Exception {
        startBackend(null);

        approveAsAlanTuring(authorizationUrl(frontendOrigin + "/auth/soundcloud/callback"), "web-backend-redirect");

        assertSignedInAtTheApp("web-backend-redirect");
    }

    @Test
    void webAppOnAnotherOriginThroughTheDirectCallbackLandsInTheApp() throws Exception {
        startBackend(frontendOrigin + "/auth/soundcloud/callback");

        approveAsAlanTuring(authorizationUrl(frontendOrigin + "/auth/soundcloud/callback"), "web-direct-callback");

        assertSignedInAtTheApp("web-direct-callback");
    }

    @Test
    void desktopFlowLandsOnDoneAndTheAppPicksTheResultUp() throws Exception {
        startBackend(null);
        String returnTo = backendBase + "/auth/soundcloud/done";
        JsonNode started = authorize(returnTo);

        approveAsAlanTuring(started.get("authorization_url").asText(), "desktop");

        waitUpTo(Duration.ofSeconds(15)).until(driver -> driver.getCurrentUrl().startsWith(returnTo));
        assertThat(chromium.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Signed in — you can return to Starlib.");
        assertThat(chromium.driver.getPageSource()).contains("Sandbox mode").doesNotContain(started.get("state").asText());
        chromium.screenshot(SCREENSHOTS.resolve("sandbox-desktop-done.png"));
        HttpResponse<String> result = get(backendBase + "/auth/soundcloud/result?state=" + started.get("state").asText());
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(result.body()).get("user").get("username").asText()).isEqualTo("Alan Turing");
    }

    // --- the backend, the consent page, the app --------------------------------------------------------

    /** @param redirectUri SOUNDCLOUD_REDIRECT_URI, or null for the backend's own /redirect (the default flow) */
    private void startBackend(String redirectUri) throws IOException {
        int port = LoopbackPorts.free();
        backendBase = "http://127.0.0.1:" + port;
        backends.add(StarlibAuth.start(SettingsLoader.load(Map.of(
                "SOUNDCLOUD_MODE", "sandbox",
                "BACKEND_PORT", String.valueOf(port),
                "ADMIN_PORT", "0",
                "ADMIN_PASSWORD", "consent-browser-test",
                "SOUNDCLOUD_REDIRECT_URI", redirectUri != null ? redirectUri : backendBase + "/auth/soundcloud/redirect",
                "ALLOWED_RETURN_ORIGINS", frontendOrigin + "," + backendBase,
                "DEFAULT_RETURN_TO", frontendOrigin + "/auth/soundcloud/callback"), workDir), Clock.systemUTC()));
    }

    private JsonNode authorize(String returnTo) throws Exception {
        HttpResponse<String> response = get(backendBase + "/auth/soundcloud/authorize?return_to="
                + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String authorizationUrl(String returnTo) throws Exception {
        return authorize(returnTo).get("authorization_url").asText();
    }

    /** The consent page as a tester uses it: pick a test user, press Approve. */
    private void approveAsAlanTuring(String authorizationUrl, String shot) {
        chromium.driver.get(authorizationUrl);
        assertThat(chromium.driver.getTitle()).startsWith("Connect a test user");
        chromium.driver.findElement(By.cssSelector("input[name='user_id'][value='1002']")).click();
        chromium.screenshot(SCREENSHOTS.resolve("sandbox-consent-" + shot + ".png"));
        chromium.driver.findElement(By.cssSelector("button[name='decision'][value='approve']")).click();
    }

    private void assertSignedInAtTheApp(String shot) {
        waitUpTo(Duration.ofSeconds(15)).until(driver -> driver.getCurrentUrl().startsWith(frontendOrigin + "/"));
        String text = waitUpTo(Duration.ofSeconds(15)).until(driver -> {
            String body = driver.findElement(By.tagName("body")).getText();
            return body.isBlank() ? null : body;
        });
        chromium.screenshot(SCREENSHOTS.resolve("sandbox-app-" + shot + ".png"));
        assertThat(text).as("the app's page at %s", chromium.driver.getCurrentUrl()).isEqualTo("Signed in as Alan Turing");
    }

    /**
     * The app's callback: with a code (direct flow) it posts code and state to the backend's /callback; with only
     * the state (backend-redirect flow) it picks the result up from /result. Either way it shows who signed in.
     */
    private void finishSignIn(HttpExchange exchange) throws IOException {
        String page;
        try {
            Map<String, String> query = query(exchange.getRequestURI());
            HttpResponse<String> answer = query.containsKey("code")
                    ? send(HttpRequest.newBuilder(URI.create(backendBase + "/auth/soundcloud/callback"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                            "code", query.get("code"), "state", query.get("state"))))).build())
                    : get(backendBase + "/auth/soundcloud/result?state=" + query.get("state"));
            page = answer.statusCode() == 200
                    ? "Signed in as " + JSON.readTree(answer.body()).get("user").get("username").asText()
                    : "Sign-in failed: " + answer.statusCode() + " " + answer.body();
        } catch (Exception e) {
            page = "The app failed: " + e;
        }
        byte[] html = ("<!DOCTYPE html><html><head><title>Starlib</title></head><body><p>" + page.replace("<", "&lt;")
                + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
        exchange.sendResponseHeaders(200, html.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(html);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(chromium.driver, timeout, Duration.ofMillis(100));
    }
}
