package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh and sign-out through the real server, the real SoundCloud adapter and the real store, with WireMock
 * playing a SoundCloud that is sometimes slow. Every exchange is checked against contract/openapi.yaml.
 */
class RefreshEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLERS = 8;
    private static final String NEW_PAIR = """
            {"access_token":"access-NEW","refresh_token":"refresh-NEW","expires_in":3599,"scope":""}""";

    private static RunningService service;
    private static WireMockServer soundCloud;
    private static String base;
    @TempDir
    static Path workDir;

    private final CheckedHttp http = new CheckedHttp();

    @BeforeAll
    static void start() {
        // A client waits 2.5 s; a refresh runs on for up to 7.5 s.
        service = RunningService.start(workDir, Map.of("SOUNDCLOUD_TIMEOUT_MS", "2500"));
        soundCloud = service.soundCloud;
        base = service.publicBase() + "/auth/soundcloud";
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void resetSoundCloud() {
        soundCloud.resetAll();
    }

    // --- single flight -----------------------------------------------------------------------------------

    @Test
    void eightConcurrentRefreshesWithOneTokenMakeOneCallToASlowSoundCloudAndGetOnePair() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-page-load").willReturn(json(200, NEW_PAIR).withFixedDelay(800)));

        List<HttpResponse<String>> answers = concurrently(() -> refresh("refresh-page-load"));

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.getFirst().body());
        assertThat(JSON.readTree(answers.getFirst().body()).get("refresh_token").asText()).isEqualTo("refresh-NEW");
        soundCloud.verify(exactly(1), postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aRetryWithTheOldTokenRightAfterGetsTheSamePairWithoutAnotherCall() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-lost-answer").willReturn(json(200, NEW_PAIR)));

        JsonNode first = json(refresh("refresh-lost-answer"), 200);
        JsonNode again = json(refresh("refresh-lost-answer"), 200);

        assertThat(again.get("access_token")).isEqualTo(first.get("access_token"));
        assertThat(again.get("refresh_token")).isEqualTo(first.get("refresh_token"));
        soundCloud.verify(exactly(1), postRequestedFor(urlEqualTo("/oauth/token")));
    }

    // --- an answer that comes too late ---------------------------------------------------------------------

    @Test
    void aRefreshThatTimedOutUpstreamGetsSoundCloudsLateNewPairOnTheRetry() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-slow-yes").willReturn(json(200, NEW_PAIR).withFixedDelay(3_500)));

        HttpResponse<String> timedOut = refresh("refresh-slow-yes");
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(timedOut.body()).get("detail").asText())
                .contains("Try again; if it keeps failing, sign in again");

        // The retry waits for the call that is still under way, or finds its answer remembered.
        HttpResponse<String> retry = eventually(() -> refresh("refresh-slow-yes"));
        assertThat(json(retry, 200).get("refresh_token").asText()).isEqualTo("refresh-NEW");
        soundCloud.verify(exactly(1), postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aRefreshThatTimedOutUpstreamAndWasRefusedLateIsAskedAfreshOnTheRetry() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-slow-no").inScenario("late no").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503).withFixedDelay(3_500)).willSetStateTo("recovered"));
        soundCloud.stubFor(refreshOf("refresh-slow-no").inScenario("late no").whenScenarioStateIs("recovered")
                .willReturn(json(200, NEW_PAIR)));

        assertThat(refresh("refresh-slow-no").statusCode()).isEqualTo(504);

        HttpResponse<String> retry = eventually(() -> refresh("refresh-slow-no"));
        assertThat(json(retry, 200).get("refresh_token").asText()).isEqualTo("refresh-NEW");
        soundCloud.verify(exactly(2), postRequestedFor(urlEqualTo("/oauth/token")));
    }

    // --- every shape of "this grant is dead" ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "400|{\"error\":\"invalid_grant\"}",
            "401|{\"code\":401,\"message\":\"invalid_grant\",\"status\":\"401 - Unauthorized\",\"errors\":"
                    + "[{\"error_message\":\"invalid_grant\"}],\"error\":null,\"error_code\":\"invalid_grant\"}",
            "400|{\"code\":400,\"message\":\"invalid_grant\",\"link\":\"https://developers.soundcloud.com/docs/api/guide\"}"})
    void everyShapeOfADeadGrantTellsTheClientToSignInAgain(String answer) throws Exception {
        String[] statusAndBody = answer.split("\\|", 2);
        soundCloud.stubFor(refreshOf("refresh-dead").willReturn(json(Integer.parseInt(statusAndBody[0]), statusAndBody[1])));

        HttpResponse<String> response = refresh("refresh-dead");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void soundCloudsRateLimitWithAResetIsATryLaterWithRetryAfter() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-limited").willReturn(json(429,
                "{\"code\":429,\"message\":\"rate_limit_exceeded\",\"error_code\":\"rate_limit_exceeded\"}")
                .withHeader("Retry-After", "30")));

        HttpResponse<String> response = refresh("refresh-limited");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("upstream_unavailable");
    }

    // --- sign-out ----------------------------------------------------------------------------------------

    @Test
    void signOutEndsTheSessionAtSoundCloudWithTheAccessToken() throws Exception {
        soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(json(200, "{\"status\":\"Status(200) - OK\"}")));

        HttpResponse<String> response = signOut("{\"access_token\":\"access-to-end\",\"refresh_token\":\"refresh-to-end\"}");

        assertThat(response.statusCode()).isEqualTo(204);
        soundCloud.verify(exactly(1), postRequestedFor(urlEqualTo("/sign-out"))
                .withHeader("Authorization", equalTo("OAuth access-to-end")));
    }

    @Test
    void signOutWithATokenSoundCloudNoLongerKnowsIs204() throws Exception {
        soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(aResponse().withStatus(401)));

        assertThat(signOut("{\"access_token\":\"access-long-gone\"}").statusCode()).isEqualTo(204);
    }

    @Test
    void signOutWhileSoundCloudIsDownIs502() throws Exception {
        soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(aResponse().withStatus(503)));

        HttpResponse<String> response = signOut("{\"access_token\":\"access-alive\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("upstream_unavailable");
    }

    @Test
    void signOutWithABadBodyIs400AndSoundCloudIsNotAsked() throws Exception {
        assertThat(signOut("{\"refresh_token\":\"only-this\"}").statusCode()).isEqualTo(400);
        assertThat(signOut("not json").statusCode()).isEqualTo(400);
        soundCloud.verify(exactly(0), postRequestedFor(urlEqualTo("/sign-out")));
    }

    @Test
    void afterSignOutThePairRememberedForTheOldTokenIsNotHandedOutAgain() throws Exception {
        soundCloud.stubFor(refreshOf("refresh-before-sign-out").willReturn(json(200, NEW_PAIR)));
        soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(aResponse().withStatus(200)));
        json(refresh("refresh-before-sign-out"), 200);

        signOut("{\"access_token\":\"access-NEW\",\"refresh_token\":\"refresh-NEW\"}");
        soundCloud.stubFor(refreshOf("refresh-before-sign-out").willReturn(json(400, "{\"error\":\"invalid_grant\"}")));

        assertThat(refresh("refresh-before-sign-out").statusCode()).isEqualTo(401);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static com.github.tomakehurst.wiremock.client.MappingBuilder refreshOf(String token) {
        return post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + token));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private HttpResponse<String> refresh(String token) throws IOException, InterruptedException {
        return postJson("/refresh", "{\"refresh_token\":\"" + token + "\"}");
    }

    private HttpResponse<String> signOut(String body) throws IOException, InterruptedException {
        return postJson("/sign-out", body);
    }

    private HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /**
     * Retries while told to try again (504: the late call is not done yet; 502: it was, and SoundCloud said no),
     * as a client would; at most 20 s.
     */
    private static HttpResponse<String> eventually(Callable<HttpResponse<String>> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response = call.call();
        while ((response.statusCode() == 504 || response.statusCode() == 502) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = call.call();
        }
        return response;
    }

    private static List<HttpResponse<String>> concurrently(Callable<HttpResponse<String>> call) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                futures.add(callers.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get(30, SECONDS));
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }
}
