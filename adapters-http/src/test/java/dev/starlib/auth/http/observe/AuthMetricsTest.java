package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.OpenBreakers;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents.Flow;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.store.testing.StoredLogins;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class AuthMetricsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MeterRegistry registry = Services.get(MeterRegistry.class);
    private final AuthMetrics metrics = new AuthMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void removeMeters() {
        metrics.close();
    }

    @Test
    void loginsAreCountedByFlowAndOutcome() {
        metrics.loginStarted();
        metrics.loginStarted();
        metrics.loginFinished(Flow.BACKEND_REDIRECT, "success", "abcdefgh");
        metrics.loginFinished(Flow.DIRECT_CALLBACK, "access_denied", "ijklmnop");
        metrics.loginFinished(Flow.DIRECT_CALLBACK, "access_denied", "qrstuvwx");

        assertThat(counter(AuthMetrics.LOGINS_STARTED).count()).isEqualTo(2);
        assertThat(counter(AuthMetrics.LOGINS_FINISHED, "flow", "backend_redirect", "outcome", "success").count())
                .isEqualTo(1);
        assertThat(counter(AuthMetrics.LOGINS_FINISHED, "flow", "direct_callback", "outcome", "access_denied").count())
                .isEqualTo(2);
        assertThat(metrics.counters()).isEqualTo(new KeyCounters(2, 1, 2, 0, 0, 0, 0));
    }

    @Test
    void refreshesStoreErrorsAndFailedUpstreamCallsAddUpInTheKeyCounters() {
        metrics.refreshFinished("success");
        metrics.refreshFinished("invalid_grant");
        metrics.refreshFinished("upstream_timeout");
        metrics.storeError("write");
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_REFRESH, "success", Duration.ofMillis(80));
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_REFRESH, "rejected", Duration.ofMillis(90));
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_REFRESH, "timeout", Duration.ofSeconds(10));
        metrics.upstreamCall(UpstreamEndpoint.ME, "unavailable", Duration.ofMillis(5));

        assertThat(metrics.counters()).isEqualTo(new KeyCounters(0, 0, 0, 1, 2, 2, 1));
        assertThat(counter(AuthMetrics.STORE_ERRORS, "operation", "write").count()).isEqualTo(1);
    }

    @Test
    void refreshesServedFromAnotherCallOrFromTheWindowCountAsRefreshedAndApart() {
        metrics.refreshFinished("success");
        metrics.refreshFinished("shared");
        metrics.refreshFinished("shared");
        metrics.refreshFinished("reused");
        metrics.refreshFinished("invalid_grant");

        assertThat(counter(AuthMetrics.REFRESHES, "outcome", "shared").count()).isEqualTo(2);
        assertThat(counter(AuthMetrics.REFRESHES, "outcome", "reused").count()).isEqualTo(1);
        assertThat(metrics.refreshes("shared")).isEqualTo(2);
        assertThat(metrics.refreshes("reused")).isEqualTo(1);
        assertThat(metrics.counters()).isEqualTo(new KeyCounters(0, 0, 0, 4, 1, 0, 0));
    }

    @Test
    void signOutsAreCountedByOutcome() {
        metrics.signOutFinished("success");
        metrics.signOutFinished("already_invalid");
        metrics.signOutFinished("success");

        assertThat(counter(AuthMetrics.SIGN_OUTS, "outcome", "success").count()).isEqualTo(2);
        assertThat(counter(AuthMetrics.SIGN_OUTS, "outcome", "already_invalid").count()).isEqualTo(1);
    }

    @Test
    void theBreakersStateIsAGaugeAndItsOpeningsAndRefusalsAreCounted() {
        TokenEndpointBreaker breaker = new TokenEndpointBreaker(
                new TokenEndpointBreaker.Settings(2, Duration.ofSeconds(10), Duration.ofSeconds(60)),
                Clock.fixed(NOW, ZoneOffset.UTC), metrics);
        metrics.watch(breaker);
        assertThat(gauge(AuthMetrics.BREAKER_STATE).value().doubleValue()).isEqualTo(0.0);
        assertThat(metrics.breakerStatus()).map(TokenEndpointBreaker.Status::state).contains(TokenEndpointBreaker.State.CLOSED);

        OpenBreakers.open(breaker, 2);
        metrics.breakerRefused(UpstreamEndpoint.TOKEN_EXCHANGE);

        assertThat(gauge(AuthMetrics.BREAKER_STATE).value().doubleValue()).isEqualTo(2.0);
        assertThat(counter(AuthMetrics.BREAKER_OPENED).count()).isEqualTo(1);
        assertThat(counter(AuthMetrics.BREAKER_REFUSED, "endpoint", "token_exchange").count()).isEqualTo(1);
    }

    @Test
    void upstreamCallsAreTimedPerEndpointAndOutcome() {
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_EXCHANGE, "success", Duration.ofMillis(120));
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_EXCHANGE, "success", Duration.ofMillis(180));

        Timer timer = registry.timer(AuthMetrics.UPSTREAM_DURATION,
                List.of(Tag.create("endpoint", "token_exchange"), Tag.create("outcome", "success"))).orElseThrow();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(300.0);
    }

    @Test
    void storeCommandsAreTimedPerCommandAndReconnectsCounted() {
        metrics.storeCommand("evalsha", Duration.ofNanos(400_000));
        metrics.storeCommand("evalsha", Duration.ofMillis(3));
        metrics.storeCommand("get", Duration.ofNanos(200_000));
        metrics.storeReconnected();
        metrics.storeReconnected();

        Timer evalsha = registry.timer(AuthMetrics.STORE_COMMAND_DURATION, List.of(Tag.create("command", "evalsha")))
                .orElseThrow();
        assertThat(evalsha.count()).isEqualTo(2);
        assertThat(evalsha.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isEqualTo(3_400_000.0);
        assertThat(registry.timer(AuthMetrics.STORE_COMMAND_DURATION, List.of(Tag.create("command", "get")))
                .orElseThrow().count()).isEqualTo(1);
        assertThat(counter(AuthMetrics.STORE_RECONNECTS).count()).isEqualTo(2);
    }

    @Test
    void lastUpstreamCallIsRememberedForTheHealthCheck() {
        assertThat(metrics.lastUpstreamCall()).isEmpty();

        metrics.upstreamCall(UpstreamEndpoint.TOKEN_EXCHANGE, "success", Duration.ofMillis(120));
        metrics.upstreamCall(UpstreamEndpoint.ME, "timeout", Duration.ofSeconds(10));

        assertThat(metrics.lastUpstreamCall()).contains(new UpstreamCall("me", "timeout", Duration.ofSeconds(10), NOW));
        assertThat(metrics.lastUpstreamCall().orElseThrow().answered()).isFalse();
    }

    @Test
    void recentLoginsAreNewestFirstAndBounded() {
        IntStream.range(0, AuthMetrics.RECENT_LOGINS + 5).forEach(i ->
                metrics.loginFinished(Flow.BACKEND_REDIRECT, "success", String.format("hint%04d", i)));

        List<RecentLogin> recent = metrics.recentLogins();

        assertThat(recent).hasSize(AuthMetrics.RECENT_LOGINS);
        assertThat(recent.getFirst().stateHint()).isEqualTo(String.format("hint%04d", AuthMetrics.RECENT_LOGINS + 4));
        assertThat(recent.getLast().stateHint()).isEqualTo("hint0005");
    }

    @Test
    void recentLoginsNeverKeepMoreThanEightCharactersOfAState() {
        metrics.loginFinished(Flow.DIRECT_CALLBACK, "invalid_state", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");

        assertThat(metrics.recentLogins()).containsExactly(
                new RecentLogin(NOW, "direct_callback", "invalid_state", "01234567"));
    }

    @Test
    void gaugesReadPendingSessionsAndUncollectedResultsFromTheStore() {
        SwitchableMemoryStore store = new SwitchableMemoryStore();
        metrics.watch(new SessionOverview(store, Clock.fixed(NOW, ZoneOffset.UTC)));
        StoredLogins.fill(store, NOW, new SessionCounts(3, 1, 2, 4));

        assertThat(gauge(AuthMetrics.SESSIONS_PENDING).value().doubleValue()).isEqualTo(3.0);
        assertThat(gauge(AuthMetrics.RESULTS_UNCOLLECTED).value().doubleValue()).isEqualTo(2.0);

        store.reset();
        StoredLogins.fill(store, NOW, new SessionCounts(0, 0, 5, 0));
        assertThat(gauge(AuthMetrics.SESSIONS_PENDING).value().doubleValue()).isEqualTo(0.0);
        assertThat(gauge(AuthMetrics.RESULTS_UNCOLLECTED).value().doubleValue()).isEqualTo(5.0);
    }

    @Test
    void storeThatCannotAnswerShowsAsAGapNotAsZero() {
        SwitchableMemoryStore store = new SwitchableMemoryStore();
        metrics.watch(new SessionOverview(store, Clock.systemUTC()));
        store.breakDown();

        assertThat(gauge(AuthMetrics.SESSIONS_PENDING).value().doubleValue()).isNaN();
    }

    @Test
    void closingRemovesEveryMeterSoTheNextServiceStartsFromZero() {
        metrics.loginStarted();
        metrics.loginFinished(Flow.BACKEND_REDIRECT, "success", "abcdefgh");
        metrics.watch(new SessionOverview(new SwitchableMemoryStore(), Clock.systemUTC()));

        metrics.close();

        assertThat(registry.meters(meter -> meter.id().name().startsWith("starlib."))).isEmpty();
        AuthMetrics next = new AuthMetrics(registry, Clock.systemUTC());
        try {
            assertThat(next.counters().loginsStarted()).isZero();
        } finally {
            next.close();
        }
    }

    @Test
    void newInstanceTakesOverMetersThatAnUnclosedOneLeftBehind() {
        SwitchableMemoryStore abandoned = new SwitchableMemoryStore();
        StoredLogins.fill(abandoned, NOW, new SessionCounts(7, 0, 0, 0));
        metrics.watch(new SessionOverview(abandoned, Clock.fixed(NOW, ZoneOffset.UTC)));
        metrics.loginStarted();

        AuthMetrics next = new AuthMetrics(registry, Clock.systemUTC());
        try {
            next.watch(new SessionOverview(new SwitchableMemoryStore(), Clock.systemUTC()));
            assertThat(next.counters().loginsStarted()).isZero();
            assertThat(gauge(AuthMetrics.SESSIONS_PENDING).value().doubleValue()).isEqualTo(0.0);
        } finally {
            next.close();
        }
    }

    private Counter counter(String name, String... tags) {
        return registry.counter(name, tags(tags)).orElseThrow(() -> new AssertionError("no counter " + name));
    }

    private Gauge<?> gauge(String name) {
        return registry.gauge(name, List.of()).orElseThrow(() -> new AssertionError("no gauge " + name));
    }

    private static List<Tag> tags(String... keysAndValues) {
        return IntStream.range(0, keysAndValues.length / 2)
                .mapToObj(i -> Tag.create(keysAndValues[2 * i], keysAndValues[2 * i + 1])).toList();
    }
}
