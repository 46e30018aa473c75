package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.store.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service on {@code SESSION_STORE=redis} while its Redis goes away and comes back: 503 store_unavailable with
 * Retry-After and readiness DOWN meanwhile, never a silent fallback, and logins again afterwards without a restart.
 */
class RedisOutageTest {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=";

    @TempDir
    Path workDir;
    private RedisServer redis;
    private RunningService service;

    @BeforeEach
    void start() {
        redis = RedisServer.start(workDir.resolve("redis"));
        // SoundCloud (WireMock) is not what fails here: a first token exchange on a loaded machine outlasted the
        // usual 2 s.
        service = RunningService.start(workDir, Map.of("SESSION_STORE", "redis", "REDIS_URL", redis.url(),
                "SESSION_STORE_KEY", KEY, "REDIS_TIMEOUT_MS", "500", "SOUNDCLOUD_TIMEOUT_MS", "10000"));
        service.soundCloudApproves();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisDownAnswers503AndReadinessDownThenLoginsWorkAgainWithoutARestart() throws Exception {
        String before = login();
        assertThat(ready().statusCode()).isEqualTo(200);
        assertThat(ready().body()).contains("\"latencyMs\"");

        redis.stop();

        HttpResponse<String> refused = service.fetch(service.publicBase() + "/auth/soundcloud/authorize?return_to="
                + encode(RETURN_TO));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(refused, 503).get("error").asText()).isEqualTo("store_unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).contains("2");
        HttpResponse<String> result = service.fetch(service.publicBase() + "/auth/soundcloud/result?state=" + before);
        assertThat(result.statusCode()).as("no fallback to a memory store that would say 404").isEqualTo(503);
        HttpResponse<String> readiness = ready();
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"sessionStore\"", "DOWN");

        redis.restart();

        Instant deadline = Instant.now().plusSeconds(30);
        while (ready().statusCode() != 200) {
            assertThat(Instant.now()).as("readiness UP again within 30 s").isBefore(deadline);
            Thread.sleep(100);
        }
        login();
        assertThat(service.fetch(service.adminBase() + "/observe/metrics").body())
                .contains("starlib_store_reconnects_total", "starlib_store_command_duration_seconds_bucket{command=\"evalsha\"")
                .contains("starlib_store_errors_total{operation=\"create\"");
    }

    /** A whole desktop login; returns its state, already picked up. */
    private String login() throws Exception {
        JsonNode authorization = json(service.fetch(service.publicBase() + "/auth/soundcloud/authorize?return_to="
                + encode(RETURN_TO)), 200);
        String state = authorization.get("state").asText();
        HttpResponse<String> redirect = service.fetch(service.publicBase() + "/auth/soundcloud/redirect?code=c-"
                + state.substring(0, 8) + "&state=" + state);
        assertThat(redirect.statusCode()).isEqualTo(303);
        JsonNode result = json(service.fetch(service.publicBase() + "/auth/soundcloud/result?state=" + state), 200);
        assertThat(result.get("access_token").asText()).isEqualTo("access-1");
        return state;
    }

    private HttpResponse<String> ready() {
        return service.fetch(service.adminBase() + "/observe/health/ready");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
