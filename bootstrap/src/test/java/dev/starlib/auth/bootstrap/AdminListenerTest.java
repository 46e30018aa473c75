package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The two listeners as bootstrap wires them: what each port serves, and what it does not. */
class AdminListenerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;
    private static RunningService service;

    @BeforeAll
    static void start() {
        service = RunningService.start(workDir, Map.of());
        service.soundCloudApproves();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin", "/admin/", "/admin/sessions/cancel", "/observe", "/observe/health",
            "/observe/health/ready", "/observe/metrics", "/internal/soundcloud/app-token"})
    void operatorPathsAreNotFoundOnThePublicPort(String path) {
        assertThat(service.fetch(service.publicBase() + path, RunningService.admin()).statusCode()).isEqualTo(404);
        assertThat(service.submit(service.publicBase() + path, "application/x-www-form-urlencoded", "",
                RunningService.admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutInternalApiTokenTheAppTokenIsNotFoundAndNeverAskedFor() {
        HttpResponse<String> response = service.fetch(service.adminBase() + "/internal/soundcloud/app-token",
                "Authorization", "Bearer anything-at-all-0123456789abcdef");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("INTERNAL_API_TOKEN is not set");
        assertThat(service.soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("client_credentials")))).isEmpty();
    }

    @Test
    void publicApiIsNotServedOnTheAdminPort() {
        assertThat(service.fetch(service.adminBase() + "/auth/soundcloud/authorize").statusCode()).isEqualTo(404);
    }

    @Test
    void publicApiGivesNoBlanketCorsToAForeignOrigin() {
        HttpResponse<String> response = service.fetch(service.publicBase() + "/auth/soundcloud/authorize",
                "Origin", "https://evil.example");

        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void dashboardOnTheAdminPortNeedsTheAdminCredentials() {
        assertThat(service.fetch(service.adminBase() + "/admin").statusCode()).isEqualTo(401);
        assertThat(service.fetch(service.adminBase() + "/admin").headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm="));
        assertThat(service.fetch(service.adminBase() + "/admin",
                RunningService.basic(RunningService.ADMIN_USER, "wrong")).statusCode()).isEqualTo(401);
        assertThat(service.fetch(service.adminBase() + "/admin",
                RunningService.basic("admin", RunningService.ADMIN_PASSWORD)).statusCode()).isEqualTo(401);

        HttpResponse<String> dashboard = service.fetch(service.adminBase() + "/admin", RunningService.admin());
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Starlib Auth · Operations", "admin-test-client", "set (hidden)")
                .doesNotContain("admin-test-secret", RunningService.ADMIN_PASSWORD);
    }

    @Test
    void healthAnswersProbesWithoutCredentialsAndWithDetails() throws IOException {
        HttpResponse<String> response = service.fetch(service.adminBase() + "/observe/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("checks").findValuesAsText("name"))
                .contains("credentials", "sessionStore", "soundcloud", "deadlock", "heapMemory");
        JsonNode store = check(health, "sessionStore");
        assertThat(store.get("status").asText()).isEqualTo("UP");
        assertThat(store.get("data").get("writable").asBoolean()).isTrue();
    }

    @Test
    void readinessAndLivenessHaveTheirOwnProbes() throws IOException {
        JsonNode ready = JSON.readTree(service.fetch(service.adminBase() + "/observe/health/ready").body());
        JsonNode live = JSON.readTree(service.fetch(service.adminBase() + "/observe/health/live").body());

        assertThat(ready.get("checks").findValuesAsText("name")).containsExactlyInAnyOrder("credentials",
                "sessionStore", "soundcloud", "clientCredentials");
        assertThat(live.get("checks").findValuesAsText("name")).containsExactlyInAnyOrder("deadlock", "heapMemory");
    }

    @Test
    void loginThroughThePublicApiShowsInTheMetricsAndTheSoundCloudCheck() throws IOException {
        String authorize = service.fetch(service.publicBase() + "/auth/soundcloud/authorize").body();
        String state = JSON.readTree(authorize).get("state").asText();
        assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/redirect?code=sc-code&state=" + state)
                .statusCode()).isEqualTo(303);

        String metrics = service.fetch(service.adminBase() + "/observe/metrics", "Accept", "text/plain").body();

        assertThat(metrics).containsPattern("(?m)^starlib_logins_started_total\\{[^}]*} 1\\.0$")
                .containsPattern("(?m)^starlib_logins_finished_total\\{[^}]*flow=\"backend_redirect\","
                        + "outcome=\"success\"[^}]*} 1\\.0$")
                .containsPattern("(?m)^starlib_upstream_request_duration_seconds_bucket\\{endpoint=\"token_exchange\","
                        + "outcome=\"success\",[^}]*le=\"\\+Inf\",?} 1\\.0$")
                .doesNotContain("quantile=")
                .containsPattern("(?m)^starlib_upstream_request_duration_seconds_count\\{endpoint=\"me\"")
                .containsPattern("(?m)^starlib_results_uncollected\\{[^}]*} 1\\.0$")
                .containsPattern("(?m)^starlib_sessions_pending\\{[^}]*} 0\\.0$")
                .contains("# TYPE starlib_upstream_request_duration_seconds histogram")
                .contains("process_uptime_seconds", "jvm_memory_used_bytes");
        JsonNode soundCloud = check(JSON.readTree(service.fetch(service.adminBase() + "/observe/health").body()),
                "soundcloud");
        assertThat(soundCloud.get("data").get("lastOutcome").asText()).isEqualTo("success");
        assertThat(soundCloud.get("data").get("lastEndpoint").asText()).isEqualTo("me");
        assertThat(soundCloud.get("data").has("lastLatencyMs")).isTrue();
    }

    @Test
    void metricsComeAsOpenMetricsWhenAskedFor() {
        HttpResponse<String> response = service.fetch(service.adminBase() + "/observe/metrics",
                "Accept", "application/openmetrics-text");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("# TYPE starlib_logins_started counter").endsWith("# EOF\n");
    }

    @Test
    void adminPortRootLeadsToTheDashboard() {
        HttpResponse<String> response = service.fetch(service.adminBase() + "/");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/admin");
        assertThat(URI.create(service.adminBase()).getPort()).isNotEqualTo(service.app.port());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}
