package dev.starlib.auth.http.observe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrendsTest {

    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    private final Trends trends = new Trends();

    @Test
    void theLastHourIsSixtyMinutesOldestFirstEndingWithTheCurrentOne() {
        List<Trends.Minute> hour = trends.lastHour(NOON.plusSeconds(30));

        assertThat(hour).hasSize(60);
        assertThat(hour.getLast().start()).isEqualTo(NOON);
        assertThat(hour.getFirst().start()).isEqualTo(NOON.minus(Duration.ofMinutes(59)));
        assertThat(hour).allSatisfy(minute -> assertThat(minute.logins()).isEmpty());
    }

    @Test
    void eventsAreCountedInTheirMinuteByOutcome() {
        trends.login(NOON.plusSeconds(1), "success");
        trends.login(NOON.plusSeconds(59), "success");
        trends.login(NOON.plusSeconds(61), "access_denied");
        trends.refresh(NOON.plusSeconds(61), "invalid_grant");

        List<Trends.Minute> hour = trends.lastHour(NOON.plusSeconds(90));

        assertThat(hour.get(58).logins()).isEqualTo(Map.of("success", 2));
        assertThat(hour.get(59).logins()).isEqualTo(Map.of("access_denied", 1));
        assertThat(hour.get(59).refreshes()).isEqualTo(Map.of("invalid_grant", 1));
    }

    @Test
    void aMinuteOlderThanAnHourDropsOutAndItsSlotStartsAfresh() {
        trends.login(NOON, "success");
        trends.upstreamCall(NOON, Duration.ofMillis(100));

        assertThat(trends.lastHour(NOON.plus(Duration.ofMinutes(59))).getFirst().logins()).containsEntry("success", 1);
        assertThat(trends.lastHour(NOON.plus(Duration.ofMinutes(60)))).allSatisfy(minute -> {
            assertThat(minute.logins()).isEmpty();
            assertThat(minute.upstreamCalls()).isZero();
        });

        trends.login(NOON.plus(Duration.ofMinutes(60)), "invalid_state");
        assertThat(trends.lastHour(NOON.plus(Duration.ofMinutes(60))).getLast().logins())
                .isEqualTo(Map.of("invalid_state", 1));
    }

    @Test
    void anEventFromBeforeTheHourDoesNotOverwriteTheMinuteNow() {
        trends.login(NOON, "success");
        trends.login(NOON.minus(Duration.ofMinutes(60)), "access_denied");

        assertThat(trends.lastHour(NOON).getLast().logins()).isEqualTo(Map.of("success", 1));
    }

    @Test
    void percentilesAreWithinFivePercent() {
        for (int ms = 1; ms <= 100; ms++) {
            trends.upstreamCall(NOON, Duration.ofMillis(ms * 10L));
        }

        Trends.Minute minute = trends.lastHour(NOON).getLast();

        assertThat(minute.upstreamCalls()).isEqualTo(100);
        assertThat(minute.p50().orElseThrow().toMillis()).isCloseTo(500, within(25L));
        assertThat(minute.p95().orElseThrow().toMillis()).isCloseTo(950, within(48L));
        assertThat(minute.p50().get()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aMinuteWithoutCallsHasNoPercentiles() {
        assertThat(trends.lastHour(NOON).getLast().p50()).isEmpty();
        assertThat(trends.lastHour(NOON).getLast().p95()).isEmpty();
    }

    @Test
    void bucketsCoverTheRangeAndNeverOverflow() {
        assertThat(Trends.bucket(Duration.ZERO)).isZero();
        assertThat(Trends.bucket(Duration.ofHours(5))).isEqualTo(Trends.bucket(Duration.ofHours(6)));
        for (long ms : new long[] {1, 7, 42, 180, 999, 4_321, 29_999}) {
            Duration bound = Trends.upperBound(Trends.bucket(Duration.ofMillis(ms)));
            assertThat(bound.toNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(ms).toNanos());
            assertThat(bound.toNanos() / (double) Duration.ofMillis(ms).toNanos()).isLessThanOrEqualTo(1.05 + 1e-9);
        }
    }
}
