package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.starlib.auth.store.redis.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started and stopped as a supervisor would. A start that cannot succeed exits 2 with one line
 * naming the setting, no stack trace and no "listening" line. SIGTERM lets the request in flight finish, closes
 * the store (the next start on it picks the result up), says "stopped" and exits 0. Runs after {@code package}.
 */
class StartAndStopIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Pattern URL = Pattern.compile("http://[^\\s,;()]+[^\\s,;().:]");
    private static final Pattern ADMIN = Pattern.compile("dashboard (http://\\S+)/admin");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTakenBackendPortIsRefusedInOneLineWithExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());

            assertRefusedInOneLine(Map.of("BACKEND_PORT", port, "ADMIN_PORT", "0"), "BACKEND_PORT " + port);
        }
    }

    @Test
    void aTakenAdminPortIsRefusedInOneLineWithExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());

            assertRefusedInOneLine(Map.of("BACKEND_PORT", "0", "ADMIN_PORT", port), "ADMIN_PORT " + port);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "nonexistent.invalid", "192.0.2.1"})
    void aBackendHostThatCannotBeListenedOnIsRefusedByName(String host) throws Exception {
        assertRefusedInOneLine(Map.of("BACKEND_HOST", host, "BACKEND_PORT", "0", "ADMIN_PORT", "0"),
                "BACKEND_HOST=" + host);
    }

    @Test
    void theLoggedUrlsAnswer() throws Exception {
        try (ChildProcess jar = start(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_PORT", "0", "ADMIN_PORT", "0"))) {
            List<String> urls = new ArrayList<>();
            for (String line : jar.lines()) {
                if (line.contains("listening on") || line.contains("Operators:") || line.contains("Stand-in:")) {
                    Matcher matcher = URL.matcher(line);
                    while (matcher.find()) {
                        urls.add(matcher.group());
                    }
                }
            }

            assertThat(urls).as("URLs in the start log:%n%s", jar.output()).hasSizeGreaterThanOrEqualTo(6);
            for (String url : urls) {
                HttpResponse<String> response = fetch(url);
                assertThat(response.statusCode()).as("GET %s (logged at start)", url).isNotIn(404, 405);
                assertThat(response.statusCode()).as("GET %s (logged at start)", url).isLessThan(500);
            }
        }
    }

    @Test
    void sigtermFinishesTheLoginInFlightClosesTheStoreAndExitsZero() throws Exception {
        WireMockServer soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        try {
            // SoundCloud takes 3 s to exchange the code: the /redirect below is in flight that long.
            soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                    .withFixedDelay(3000).withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"sigterm-access\",\"refresh_token\":\"sigterm-refresh\","
                            + "\"expires_in\":3599}")));
            soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"urn\":\"soundcloud:users:7\",\"username\":\"Still Here\",\"permalink\":\"still\","
                            + "\"avatar_url\":\"https://i1.sndcdn.com/a.jpg\"}")));
            sigtermDuringACodeExchange("http://127.0.0.1:" + soundCloud.port());
        } finally {
            soundCloud.stop();
        }
    }

    private void sigtermDuringACodeExchange(String upstream) throws Exception {
        int port = LoopbackPorts.free();
        String api = "http://127.0.0.1:" + port + "/auth/soundcloud";
        Map<String, String> environment = Map.of(
                "CLIENT_ID", "sigterm-it-client",
                "CLIENT_SECRET", "sigterm-it-secret",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream,
                "BACKEND_PORT", String.valueOf(port),
                "ADMIN_PORT", "0",
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", dir.resolve("sessions").toString(),
                "SESSION_STORE_KEY", randomKey());
        String state;
        try (ChildProcess jar = start(environment)) {
            String admin = adminBase(jar);
            state = json(fetch(api + "/authorize"), 200).get("state").asText();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(api + "/redirect?code=sigterm-code&state=" + state))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            awaitExchangeUnderway(admin);

            jar.terminate();

            HttpResponse<String> finished = inFlight.get(60, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).as("the /redirect that was in flight at SIGTERM: %s", finished.body())
                    .isEqualTo(303);
            assertThat(finished.headers().firstValue("Location")).hasValueSatisfying(location ->
                    assertThat(location).contains("state=").doesNotContain("error="));
            assertThat(jar.waitFor(Duration.ofSeconds(60))).as("exit code after SIGTERM; output:%n%s", jar.output())
                    .isZero();
            assertThat(jar.lines()).filteredOn(line -> line.contains("stopped on SIGTERM")).hasSize(1);
            assertThat(jar.output()).doesNotContain("Exception");
        }

        // The store was closed cleanly (its lock released) with the finished login in it.
        try (ChildProcess again = start(environment)) {
            JsonNode result = json(fetch(api + "/result?state=" + state), 200);
            assertThat(result.get("access_token").asText()).isEqualTo("sigterm-access");
            assertThat(result.get("user").get("username").asText()).isEqualTo("Still Here");
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private void assertRefusedInOneLine(Map<String, String> environment, String naming) throws Exception {
        try (ChildProcess jar = ChildProcess.start(command(), dir, environment, "[jar] ")) {
            int exit = jar.waitFor(START_LIMIT);
            String output = jar.output();

            assertThat(exit).as("exit code; output:%n%s", output).isEqualTo(2);
            assertThat(jar.lines()).filteredOn(line -> line.contains("cannot start")).singleElement()
                    .satisfies(line -> assertThat(line).contains(naming));
            assertThat(jar.lines()).as("output:%n%s", output)
                    .noneMatch(line -> line.startsWith("\tat ") || line.strip().startsWith("at java."))
                    .noneMatch(line -> line.contains("Exception") || line.contains("SEVERE"))
                    .noneMatch(line -> line.contains("listening"));
        }
    }

    private ChildProcess start(Map<String, String> environment) throws InterruptedException {
        Map<String, String> withPassword = new HashMap<>(environment);
        withPassword.putIfAbsent("ADMIN_PASSWORD", "start-and-stop-it");
        ChildProcess jar = ChildProcess.start(command(), dir, withPassword, "[jar] ");
        if (!jar.awaitLine("Operators: dashboard", START_LIMIT)) {
            jar.close();
            throw new AssertionError("the service did not start within " + START_LIMIT + ":\n" + jar.output());
        }
        return jar;
    }

    private static List<String> command() {
        return List.of(ChildProcess.currentJava(), "-jar", ChildProcess.jar().toString());
    }

    private static String adminBase(ChildProcess jar) {
        Matcher matcher = ADMIN.matcher(jar.output());
        assertThat(matcher.find()).as("the admin URL in the log").isTrue();
        return matcher.group(1);
    }

    /** The login leaves "pending" once /redirect has consumed it: the code exchange is then under way. */
    private void awaitExchangeUnderway(String admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = fetch(admin + "/observe/metrics").body();
            if (metrics.lines().anyMatch(line -> line.startsWith("starlib_sessions_pending") && line.endsWith(" 0.0"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the code exchange did not start within 30 s");
    }

    private HttpResponse<String> fetch(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }


    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
