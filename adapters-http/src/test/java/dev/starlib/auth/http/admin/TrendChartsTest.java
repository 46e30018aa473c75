package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.observe.Trends;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrendChartsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");

    private final Trends trends = new Trends();

    private Chart chart(String id) {
        return TrendCharts.of(trends.lastHour(NOW)).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anEmptyHourSaysSoInEveryChart() {
        List<Chart> charts = TrendCharts.of(trends.lastHour(NOW));

        assertThat(charts).extracting(Chart::id).containsExactly("chart-logins", "chart-refreshes", "chart-latency");
        assertThat(charts).allSatisfy(c -> {
            assertThat(c.bars()).isEmpty();
            assertThat(c.lines()).isEmpty();
            assertThat(c.empty()).isPresent();
        });
    }

    @Test
    void barsStackByOutcomeWithHeightsInProportion() {
        trends.login(NOW, "success");
        trends.login(NOW, "success");
        trends.login(NOW, "success");
        trends.login(NOW, "access_denied");
        trends.login(NOW.minus(Duration.ofMinutes(10)), "success");

        Chart logins = chart("chart-logins");

        assertThat(logins.empty()).isEmpty();
        assertThat(logins.bars()).hasSize(3);
        Chart.Bar success = logins.bars().get(1);
        Chart.Bar denied = logins.bars().get(2);
        assertThat(success.color()).isNotEqualTo(denied.color());
        assertThat(success.height() / denied.height()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
        // Stacked: the denial sits on top of the successes, the column's bottom on the axis.
        assertThat(denied.y() + denied.height()).isCloseTo(success.y(), org.assertj.core.data.Offset.offset(0.11));
        assertThat(success.y() + success.height()).isCloseTo(Chart.HEIGHT - Chart.BOTTOM, org.assertj.core.data.Offset.offset(0.11));
        assertThat(success.tooltip()).isEqualTo("12:30 UTC · 3 success, 1 access_denied");
        assertThat(logins.legend()).extracting(Chart.Legend::label).containsExactly("success", "access_denied");
        assertThat(logins.yTicks().getFirst().label()).isEqualTo("5");
        assertThat(logins.bars().getFirst().x()).isLessThan(success.x());
    }

    @Test
    void latencyLinesBreakWhereAMinuteHadNoCall() {
        trends.upstreamCall(NOW.minus(Duration.ofMinutes(3)), Duration.ofMillis(100));
        trends.upstreamCall(NOW.minus(Duration.ofMinutes(2)), Duration.ofMillis(200));
        trends.upstreamCall(NOW, Duration.ofMillis(300));

        Chart latency = chart("chart-latency");

        assertThat(latency.points()).hasSize(6);
        assertThat(latency.lines()).hasSize(2).allSatisfy(line -> assertThat(line.points().split(" ")).hasSize(2));
        assertThat(latency.legend()).extracting(Chart.Legend::label).containsExactly("p50", "p95");
        assertThat(latency.yTicks().getFirst().label()).isEqualTo("500 ms");
        assertThat(latency.points()).anySatisfy(p -> assertThat(p.tooltip()).startsWith("12:30 UTC · p95 3"));
    }

    @Test
    void aSecondOrMoreIsLabelledInSeconds() {
        trends.upstreamCall(NOW, Duration.ofMillis(1700));

        assertThat(chart("chart-latency").yTicks()).extracting(Chart.Tick::label).containsExactly("2 s", "1 s", "0");
    }

    @Test
    void theTimeAxisRunsFromAnHourAgoToNow() {
        assertThat(chart("chart-logins").xTicks()).extracting(Chart.Tick::label)
                .containsExactly("11:31", "12:00", "12:30 UTC");
    }

    @Test
    void niceCeilingsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(List.of(1L, 2L, 3L, 7L, 11L, 99L, 101L, 4999L).stream().map(TrendCharts::niceCeiling))
                .containsExactly(1L, 2L, 5L, 10L, 20L, 100L, 200L, 5000L);
    }
}
