package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.OpenBreakers;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceHealthTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final HealthCheck ALIVE = new HealthCheck() {
        @Override
        public HealthCheckType type() {
            return HealthCheckType.LIVENESS;
        }

        @Override
        public String name() {
            return "deadlock";
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.builder().status(true).build();
        }
    };

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AuthMetrics metrics = new AuthMetrics(Services.get(MeterRegistry.class), clock);
    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final SessionOverview sessions = new SessionOverview(store, clock);

    @AfterEach
    void removeMeters() {
        metrics.close();
    }

    @Test
    void configuredServiceWithAWritableStoreIsReadyAndLive() {
        HealthReport report = health(true).report();

        assertThat(report.ready()).isTrue();
        assertThat(report.live()).isTrue();
        assertThat(report.checks()).extracting(CheckResult::name)
                .containsExactly("credentials", "sessionStore", "soundcloud", "deadlock");
    }

    @Test
    void missingCredentialsMakeTheServiceNotReady() {
        HealthReport report = health(false).report();

        assertThat(report.ready()).isFalse();
        assertThat(check(report, "credentials").status()).isEqualTo("DOWN");
        assertThat(check(report, "credentials").details()).containsEntry("configured", "false");
        assertThat(report.live()).isTrue();
    }

    @Test
    void storeThatCannotBeWrittenMakesTheServiceNotReadyAndSaysWhy() {
        store.breakDown();

        HealthReport report = health(true).report();

        assertThat(report.ready()).isFalse();
        assertThat(check(report, "sessionStore").status()).isEqualTo("DOWN");
        assertThat(check(report, "sessionStore").details()).containsEntry("writable", "false")
                .hasEntrySatisfying("error", error -> assertThat(error).contains("disk full"));
    }

    @Test
    void soundCloudCheckReportsTheLastObservedCallWithoutVoting() {
        metrics.upstreamCall(UpstreamEndpoint.TOKEN_EXCHANGE, "timeout", Duration.ofMillis(10_000));

        HealthReport report = health(true).report();

        CheckResult soundCloud = check(report, "soundcloud");
        assertThat(soundCloud.status()).isEqualTo("UP");
        assertThat(soundCloud.details()).containsEntry("answering", "false").containsEntry("lastOutcome", "timeout")
                .containsEntry("lastEndpoint", "token_exchange").containsEntry("lastLatencyMs", "10000")
                .containsEntry("lastCallAt", NOW.toString());
        assertThat(report.ready()).isTrue();
    }

    @Test
    void anOpenBreakerIsReportedWithWhenTheNextTryGoesThroughAndDoesNotVote() {
        TokenEndpointBreaker breaker = new TokenEndpointBreaker(
                new TokenEndpointBreaker.Settings(1, Duration.ofSeconds(10), Duration.ofSeconds(60)), clock, metrics);
        metrics.watch(breaker);
        assertThat(check(health(true).report(), "soundcloud").details()).containsEntry("tokenBreaker", "closed")
                .doesNotContainKey("tokenBreakerRetryInSeconds");

        OpenBreakers.open(breaker, 1);
        HealthReport report = health(true).report();

        CheckResult soundCloud = check(report, "soundcloud");
        assertThat(soundCloud.status()).isEqualTo("UP");
        assertThat(soundCloud.details()).containsEntry("tokenBreaker", "open")
                .containsEntry("tokenBreakerRetryInSeconds", "10");
        assertThat(report.ready()).isTrue();
    }

    @Test
    void soundCloudCheckSaysSoWhenNoCallWasSeenYet() {
        assertThat(check(health(true).report(), "soundcloud").details()).containsEntry("lastCall", "none since start");
    }

    @Test
    void checkThatThrowsIsReportedAsAnErrorInsteadOfBreakingTheReport() {
        HealthCheck broken = new HealthCheck() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public HealthCheckResponse call() {
                throw new IllegalStateException("bug");
            }
        };
        ServiceHealth health = new ServiceHealth(true, sessions, metrics, clock, List.of(broken));

        assertThat(check(health.report(), "broken").status()).isEqualTo("ERROR");
    }

    private ServiceHealth health(boolean credentialsConfigured) {
        return new ServiceHealth(credentialsConfigured, sessions, metrics, clock, List.of(ALIVE));
    }

    private static CheckResult check(HealthReport report, String name) {
        return report.checks().stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }
}
