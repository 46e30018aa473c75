package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.starlib.auth.bootstrap.OAuthWire.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app token through the whole service: the real SoundCloud client against WireMock, the real file store, the
 * internal API on the admin port (every exchange checked against the contract), the renewal schedule and the
 * readiness check. Each test starts its own service, one at a time.
 */
class AppTokenEndToEndTest {

    private static final String KEY = "e2e-internal-key-" + "x".repeat(24);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path workDir;
    private RunningService service;
    private final CheckedHttp http = new CheckedHttp();

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private void start(Map<String, String> overrides, MappingBuilder... stubs) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "INTERNAL_API_TOKEN", KEY,
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", workDir.resolve("sessions").toString()));
        environment.putAll(overrides);
        service = RunningService.start(workDir, environment, stubs);
    }

    private static MappingBuilder grant(String body) {
        return post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson(body));
    }

    private static String token(String access, String refresh, int expiresIn) {
        return "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":" + expiresIn
                + ",\"scope\":\"\",\"token_type\":\"bearer\"}";
    }

    @Test
    void manyConcurrentCallersCauseOneGrantAuthenticatedWithBasic() throws Exception {
        // SoundCloud takes its time, so that callers arrive while the start's grant is still under way.
        start(Map.of(), post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson(token("app-access-1", "app-refresh-1", 3599)).withFixedDelay(400)));

        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(callers.submit(this::appToken));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("access_token").asText()).isEqualTo("app-access-1");
                assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            }
        } finally {
            callers.shutdownNow();
        }

        List<LoggedRequest> grants = grants();
        assertThat(grants).hasSize(1);
        assertThat(grants.getFirst().getBodyAsString()).isEqualTo("grant_type=client_credentials");
        assertThat(grants.getFirst().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("admin-test-client:admin-test-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(check("clientCredentials").get("status").asText()).isEqualTo("UP");
        assertThat(check("clientCredentials").get("data").get("accepted").asText()).isEqualTo("yes");
    }

    @Test
    void inTheRenewalWindowTheTokenIsRefreshedAndARefusedRefreshFallsBackToAGrant() throws Exception {
        // A 4 s token with a 2 s window: due after 2 s, the schedule looks every second.
        start(Map.of("APP_TOKEN_RENEW_BEFORE_SECONDS", "2"),
                grant(token("app-access-1", "app-refresh-1", 4)),
                post(urlEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=app-refresh-1"))
                        .willReturn(okJson(token("app-access-2", "app-refresh-2", 4))),
                post(urlEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=app-refresh-2"))
                        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                                .withBody("{\"error\":\"invalid_grant\"}")));

        awaitThat("the token was refreshed with its refresh token", () -> refreshesWith("app-refresh-1") == 1);
        awaitThat("the refreshed token is served", () -> accessToken().equals("app-access-2"));
        awaitThat("a refused refresh fell back to a new grant", () -> grants().size() == 2);

        Map<String, String> refresh = form(soundCloudRequests("refresh_token=app-refresh-1").getFirst().getBodyAsString());
        assertThat(refresh).containsEntry("grant_type", "refresh_token").containsEntry("client_id", "admin-test-client")
                .containsEntry("client_secret", "admin-test-secret");
        assertThat(refreshesWith("app-refresh-2")).isEqualTo(1);
    }

    @Test
    void wrongCredentialsShowOnTheReadinessCheckBeforeAnyoneSignsIn() throws Exception {
        start(Map.of(), post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));

        awaitThat("readiness is down", () -> fetch("/observe/health/ready").statusCode() == 503);
        JsonNode check = check("clientCredentials");
        assertThat(check.get("status").asText()).isEqualTo("DOWN");
        assertThat(check.get("data").get("accepted").asText()).isEqualTo("no");

        HttpResponse<String> answer = appToken();
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(grants()).as("held off: the start's grant was the only one").hasSize(1);
    }

    @Test
    void aRateLimitIsHeldOffUntilItsResetAndSaidSo() throws Exception {
        start(Map.of(), post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "600").withBody("{\"errors\":[{\"meta\":{\"remaining_requests\":0}}]}")));

        HttpResponse<String> answer = appToken();
        for (int i = 0; i < 5; i++) {
            answer = appToken();
        }

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("upstream_rate_limited");
        assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow())).isBetween(500L, 600L);
        assertThat(grants()).hasSize(1);
        assertThat(fetch("/observe/health/ready").statusCode()).as("a rate limit never votes").isEqualTo(200);
    }

    @Test
    void anOutageWithoutATokenIs502AndNeverMakesTheServiceNotReady() throws Exception {
        start(Map.of(), post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)
                .withBody("<html>down</html>")));

        HttpResponse<String> answer = appToken();

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("upstream_unavailable");
        assertThat(fetch("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(check("clientCredentials").get("data").get("lastFailure").asText()).isEqualTo("upstream_unavailable");
    }

    @Test
    void theAppTokenAndRefreshesShareOneBreakerAroundTheTokenEndpoint() throws Exception {
        start(Map.of("SOUNDCLOUD_BREAKER_FAILURES", "3", "SOUNDCLOUD_BREAKER_OPEN_SECONDS", "60",
                "SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS", "60"), post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse().withStatus(503).withBody("<html>down</html>")));
        awaitThat("the start's grant met the outage", () -> lastAppTokenFailure().equals("upstream_unavailable"));

        for (int i = 0; i < 2; i++) {
            assertThat(refresh().statusCode()).isEqualTo(502);
        }
        HttpResponse<String> failedFast = refresh();
        HttpResponse<String> appToken = appToken();

        assertThat(failedFast.statusCode()).as("the app token's outage counted: 1 grant + 2 refreshes open it")
                .isEqualTo(503);
        assertThat(failedFast.headers().firstValue("Retry-After")).isPresent();
        assertThat(appToken.statusCode()).isEqualTo(502);
        assertThat(appToken.headers().firstValue("Retry-After")).isPresent();
        assertThat(service.soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token")))).hasSize(3);
        assertThat(check("soundcloud").get("data").get("tokenBreaker").asText()).isEqualTo("open");
    }

    @Test
    void theMetricsCountGrantsAndRequestsAndShowTheTimeLeft() throws Exception {
        start(Map.of(), grant(token("app-access-1", "app-refresh-1", 3599)));
        appToken();
        appToken();

        String metrics = fetch("/observe/metrics").body();

        assertThat(metrics)
                .containsPattern("(?m)^starlib_app_token_renewals_total\\{[^}]*method=\"grant\",outcome=\"success\"[^}]*} 1\\.0$")
                .containsPattern("(?m)^starlib_app_token_requests_total\\{[^}]*outcome=\"served\"[^}]*} 2\\.0$")
                .containsPattern("(?m)^starlib_app_token_expiry_seconds\\{[^}]*} 35[0-9]{2}\\.0$")
                .containsPattern("(?m)^starlib_upstream_request_duration_seconds_count\\{endpoint=\"app_token_grant\"")
                .doesNotContain("app-access-1");
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private HttpResponse<String> appToken() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(service.adminBase() + "/internal/soundcloud/app-token"))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private HttpResponse<String> refresh() {
        return service.submit(service.publicBase() + "/auth/soundcloud/refresh", "application/json",
                "{\"refresh_token\":\"a-users-refresh-token\"}");
    }

    private String lastAppTokenFailure() {
        try {
            JsonNode failure = check("clientCredentials").get("data").get("lastFailure");
            return failure == null ? "" : failure.asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String accessToken() {
        try {
            HttpResponse<String> response = appToken();
            return response.statusCode() == 200 ? JSON.readTree(response.body()).get("access_token").asText() : "";
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> fetch(String path) {
        return service.fetch(service.adminBase() + path);
    }

    private JsonNode check(String name) throws IOException {
        for (JsonNode check : JSON.readTree(fetch("/observe/health").body()).get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name);
    }

    private List<LoggedRequest> grants() {
        return soundCloudRequests("grant_type=client_credentials");
    }

    private long refreshesWith(String refreshToken) {
        return soundCloudRequests("refresh_token=" + refreshToken).size();
    }

    private List<LoggedRequest> soundCloudRequests(String bodyPart) {
        return service.soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token")).withRequestBody(containing(bodyPart)));
    }

    private static void awaitThat(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WITHIN);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WITHIN + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
