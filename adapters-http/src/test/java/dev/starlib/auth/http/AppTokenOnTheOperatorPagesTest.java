package dev.starlib.auth.http;

import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.http.admin.AdminApi;
import dev.starlib.auth.http.admin.AdminConsole;
import dev.starlib.auth.http.admin.AdminCredentials;
import dev.starlib.auth.http.admin.ConfigurationSummary;
import dev.starlib.auth.http.observe.AppTokenCounters;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.CheckResult;
import dev.starlib.auth.http.observe.HealthReport;
import dev.starlib.auth.http.observe.ServiceHealth;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.service.registry.Services;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see of the app token: the readiness check that only {@code invalid_client} turns DOWN, the meters,
 * and the dashboard panel, all over the real use case, and never the token itself.
 */
abstract class AppTokenOnTheOperatorPagesTest {

    private static final TestApi APP = new TestApi();
    private static final AdminCredentials CREDENTIALS = AdminCredentials.of("operator", "s3cret-pass");
    private static final MeterRegistry REGISTRY = Services.get(MeterRegistry.class);
    private static AuthMetrics metrics;
    private static ProvideAppToken appToken;
    private static ServiceHealth health;

    private Http1Client client;

    @RoutingTest
    static final class InMemory extends AppTokenOnTheOperatorPagesTest {
    }

    @ServerTest
    static final class OnSocket extends AppTokenOnTheOperatorPagesTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        metrics = new AuthMetrics(REGISTRY, APP.clock);
        appToken = new ProvideAppToken(APP.store, APP.soundCloud, APP.breaker,
                CredentialsFingerprint.of("id", "secret"), Duration.ofMinutes(5), APP.clock, metrics);
        metrics.watch(appToken);
        health = new ServiceHealth(true, APP.sessions, Optional.of(appToken), metrics, APP.clock, List.of());
        AdminApi.register(routing, CREDENTIALS, new AdminConsole(APP.sessions, APP.cancelLogin, metrics, health,
                new ConfigurationSummary(List.of()), APP.clock, Optional.of(appToken)));
    }

    @AfterAll
    static void removeMeters() {
        metrics.close();
    }

    @BeforeEach
    void reset(Http1Client client) {
        this.client = client;
        APP.reset();
        metrics.close();
        metrics.watch(appToken);
    }

    @Test
    void beforeAnyTokenTheCredentialsAreNotProvenYetAndTheServiceIsReady() {
        HealthReport report = health.report();

        assertThat(check(report).status()).isEqualTo("UP");
        assertThat(check(report).details()).containsEntry("accepted", "unknown");
        assertThat(report.ready()).isTrue();
        assertThat(dashboard()).contains("id=\"app-token\"", "no valid token", "none yet", "not proven yet");
        assertThat(expirySeconds()).isZero();
    }

    @Test
    void aGrantedTokenShowsItsTimesAndCountsButNeverItself() {
        appToken.current();
        appToken.current();
        APP.clock.advance(Duration.ofMinutes(10));

        CheckResult check = check(health.report());
        assertThat(check.status()).isEqualTo("UP");
        assertThat(check.details()).containsEntry("accepted", "yes").containsEntry("lastRenewalBy", "grant")
                .containsEntry("appTokenValidUntil", "2026-03-01T13:00:00Z");
        assertThat(expirySeconds()).isEqualTo(3000.0);
        assertThat(renewals("grant", "success")).isEqualTo(1);
        assertThat(metrics.appTokenCounters()).isEqualTo(new AppTokenCounters(1, 0, 0, 0, 2, 0));
        String page = dashboard();
        assertThat(page).contains("13:00:00 UTC (in 50m 00s), renewal due 12:55:00 UTC", "grant at 12:00:00 UTC",
                "accepted by SoundCloud", "grants 1 ok, 0 failed", "2 served, 0 not served");
        for (String text : List.of(page, check.details().toString())) {
            assertThat(text).doesNotContain(ScriptedSoundCloud.APP_GRANT.accessToken().value())
                    .doesNotContain(ScriptedSoundCloud.APP_GRANT.refreshToken().orElseThrow().value());
        }
    }

    @Test
    void invalidClientMakesTheServiceNotReadyAndTheDashboardSaysWhy() {
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.Rejected<>("invalid_client", 401));

        appToken.current();

        HealthReport report = health.report();
        assertThat(report.ready()).isFalse();
        assertThat(check(report).status()).isEqualTo("DOWN");
        assertThat(check(report).details()).containsEntry("accepted", "no").containsEntry("lastFailure", "invalid_client")
                .containsEntry("nextAttemptNotBefore", "2026-03-01T12:01:00Z");
        assertThat(dashboard()).contains("Not ready", "refused by SoundCloud (invalid_client)",
                "last: invalid_client at 12:00:00 UTC, next attempt not before 12:01:00 UTC", "0 served, 1 not served");
        assertThat(renewals("grant", "invalid_client")).isEqualTo(1);
    }

    @Test
    void anOutageOrARateLimitNeverMakesTheServiceNotReady() {
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));
        appToken.current();
        assertThat(health.report().ready()).isTrue();

        APP.clock.advance(Duration.ofMinutes(1));
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.RateLimited<>(Optional.empty()));
        appToken.current();

        assertThat(health.report().ready()).isTrue();
        assertThat(check(health.report()).details()).containsEntry("lastFailure", "rate_limited");
        assertThat(metrics.appTokenCounters().failedGrants()).isEqualTo(2);
    }

    @Test
    void aStoreThatCannotBeReadLeavesTheCredentialsUnknownRatherThanRefused() {
        APP.store.breakDown();

        assertThat(check(health.report()).status()).isEqualTo("UP");
        assertThat(check(health.report()).details()).containsEntry("accepted", "unknown");
        assertThat(expirySeconds()).isNaN();
    }

    private static CheckResult check(HealthReport report) {
        return report.checks().stream().filter(check -> check.name().equals("clientCredentials")).findFirst()
                .orElseThrow();
    }

    private static double expirySeconds() {
        return ((Gauge<?>) REGISTRY.gauge("starlib.app.token.expiry", List.of()).orElseThrow()).value().doubleValue();
    }

    private static long renewals(String method, String outcome) {
        return REGISTRY.counter("starlib.app.token.renewals",
                List.of(Tag.create("method", method), Tag.create("outcome", outcome))).map(Counter::count).orElse(0L);
    }

    private String dashboard() {
        String pair = Base64.getEncoder().encodeToString("operator:s3cret-pass".getBytes(StandardCharsets.UTF_8));
        Reply reply = Internal.unchecked(client.get("/admin").header(HeaderNames.AUTHORIZATION, "Basic " + pair));
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }
}
