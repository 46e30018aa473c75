package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SoundCloud's token endpoint goes down while clients keep retrying, as the whole service sees it: the outage is
 * passed on as a few calls and then one probe at a time, clients are told when to come back, operators see the
 * breaker, and the first answer after the outage closes it.
 */
class OutageEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;
    private RunningService service;

    @BeforeEach
    void start() {
        service = RunningService.start(workDir, Map.of(
                "SOUNDCLOUD_BREAKER_FAILURES", "3",
                "SOUNDCLOUD_BREAKER_OPEN_SECONDS", "5",
                "SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS", "10"));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void anOutageIsPassedOnAsAFewCallsThenFailsFastAndAProbeClosesItWhenSoundCloudIsBack() throws Exception {
        service.soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/html").withBody("<h1>503</h1>")));

        for (int i = 0; i < 3; i++) {
            assertThat(refresh().statusCode()).isEqualTo(502);
        }
        for (int i = 0; i < 20; i++) { // every client retrying at once
            HttpResponse<String> failedFast = refresh();
            assertThat(failedFast.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(failedFast.body()).get("error").asText()).isEqualTo("upstream_unavailable");
            assertThat(failedFast.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Integer.parseInt(seconds)).isBetween(1, 5));
        }
        service.soundCloud.verify(exactly(3), postRequestedFor(urlEqualTo("/oauth/token")));

        JsonNode soundCloud = check("soundcloud");
        assertThat(soundCloud.get("status").asText()).as("reports, never votes").isEqualTo("UP");
        assertThat(soundCloud.get("data").get("tokenBreaker").asText()).isIn("open", "half_open");
        assertThat(metrics()).containsPattern("(?m)^starlib_soundcloud_breaker_state\\{[^}]*} 2\\.0$")
                .containsPattern("(?m)^starlib_soundcloud_breaker_opened_total\\{[^}]*} 1\\.0$")
                .containsPattern("(?m)^starlib_soundcloud_breaker_refused_total\\{endpoint=\"token_refresh\"[^}]*} 20\\.0$");

        // A sign-in meets the open breaker: it fails cleanly and the user can start again.
        String state = JSON.readTree(service.fetch(service.publicBase() + "/auth/soundcloud/authorize").body())
                .get("state").asText();
        HttpResponse<String> callback = service.submit(service.publicBase() + "/auth/soundcloud/callback",
                "application/json", "{\"code\":\"sc-code\",\"state\":\"" + state + "\"}");
        assertThat(callback.statusCode()).isEqualTo(503);
        assertThat(callback.headers().firstValue("Retry-After")).isPresent();
        service.soundCloud.verify(exactly(3), postRequestedFor(urlEqualTo("/oauth/token")));

        service.soundCloudApproves();
        HttpResponse<String> recovered = eventually200();

        assertThat(JSON.readTree(recovered.body()).get("access_token").asText()).isEqualTo("access-1");
        assertThat(check("soundcloud").get("data").get("tokenBreaker").asText()).isEqualTo("closed");
        assertThat(refresh().statusCode()).as("closed again: calls go through").isEqualTo(200);
    }

    @Test
    void deadGrantsNeverOpenTheBreaker() throws Exception {
        service.soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));

        for (int i = 0; i < 10; i++) {
            assertThat(refresh().statusCode()).isEqualTo(401);
        }

        service.soundCloud.verify(exactly(10), postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(check("soundcloud").get("data").get("tokenBreaker").asText()).isEqualTo("closed");
    }

    private HttpResponse<String> refresh() {
        return service.submit(service.publicBase() + "/auth/soundcloud/refresh", "application/json",
                "{\"refresh_token\":\"refresh-held-by-every-tab\"}");
    }

    /** Retries as a client told "Retry-After" would, until the probe has gone through; at most 20 s. */
    private HttpResponse<String> eventually200() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response = refresh();
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = refresh();
        }
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
        return response;
    }

    private JsonNode check(String name) throws IOException {
        JsonNode health = JSON.readTree(service.fetch(service.adminBase() + "/observe/health").body());
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private String metrics() {
        return service.fetch(service.adminBase() + "/observe/metrics", "Accept", "text/plain").body();
    }
}
