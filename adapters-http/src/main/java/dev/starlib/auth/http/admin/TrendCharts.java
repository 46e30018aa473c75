package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.observe.Trends;
import dev.starlib.auth.http.observe.Trends.Minute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lays the last hour out as the dashboard's three charts: logins per minute by outcome and refreshes per minute by
 * outcome (stacked bars), and SoundCloud's p50 and p95 latency per minute (two lines). Pure arithmetic on
 * {@link Minute}s: the same figures always give the same picture.
 */
final class TrendCharts {

    /** Success green; failures in warm colours, the ones an operator must act on (credentials) darkest. */
    private static final Map<String, String> COLORS = Map.of(
            "success", "#1e8e3e",
            "access_denied", "#f9ab00",
            "invalid_state", "#9334e6",
            "invalid_grant", "#e8710a",
            "invalid_client", "#a50e0e",
            "upstream_unavailable", "#d93025",
            "upstream_timeout", "#ee675c");
    private static final String OTHER = "#80868b";
    private static final String P50 = "#1a73e8";
    private static final String P95 = "#e37400";

    private TrendCharts() {
    }

    static List<Chart> of(List<Minute> lastHour) {
        return List.of(
                stacked("chart-logins", "Logins per minute, by outcome", lastHour, Minute::logins,
                        Trends.LOGIN_OUTCOMES, "No login finished in the last hour."),
                stacked("chart-refreshes", "Token refreshes per minute, by outcome", lastHour, Minute::refreshes,
                        Trends.REFRESH_OUTCOMES, "No token refresh in the last hour."),
                latency(lastHour));
    }

    private static Chart stacked(String id, String title, List<Minute> minutes,
                                 Function<Minute, Map<String, Integer>> counts, List<String> known, String empty) {
        Set<String> seen = new LinkedHashSet<>();
        known.forEach(outcome -> {
            if (minutes.stream().anyMatch(m -> counts.apply(m).containsKey(outcome))) {
                seen.add(outcome);
            }
        });
        minutes.forEach(m -> seen.addAll(counts.apply(m).keySet()));
        int max = minutes.stream().mapToInt(m -> counts.apply(m).values().stream().mapToInt(Integer::intValue).sum())
                .max().orElse(0);
        if (max == 0) {
            return new Chart(id, title, "per minute", List.of(), List.of(), List.of(), yTicks(1, ""), xTicks(minutes),
                    List.of(), Optional.of(empty));
        }
        long top = niceCeiling(max);
        double column = columnWidth(minutes);
        List<Chart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i++) {
            Minute minute = minutes.get(i);
            Map<String, Integer> count = counts.apply(minute);
            String tooltip = Durations.minute(minute.start()) + " UTC · " + seen.stream().filter(count::containsKey)
                    .map(outcome -> count.get(outcome) + " " + outcome).collect(Collectors.joining(", "));
            double base = Chart.HEIGHT - Chart.BOTTOM;
            for (String outcome : seen) {
                int n = count.getOrDefault(outcome, 0);
                if (n == 0) {
                    continue;
                }
                double height = round(plotHeight() * n / top);
                base -= height;
                bars.add(new Chart.Bar(round(Chart.LEFT + i * column + column * 0.1), round(base), round(column * 0.8),
                        height, color(outcome), tooltip));
            }
        }
        List<Chart.Legend> legend = seen.stream().map(outcome -> new Chart.Legend(color(outcome), outcome)).toList();
        return new Chart(id, title, "per minute", bars, List.of(), List.of(), yTicks(top, ""), xTicks(minutes), legend,
                Optional.empty());
    }

    private static Chart latency(List<Minute> minutes) {
        long maxMillis = minutes.stream().flatMap(m -> m.p95().stream()).mapToLong(Duration::toMillis).max().orElse(-1);
        String title = "SoundCloud latency per minute, p50 and p95";
        if (maxMillis < 0) {
            return new Chart("chart-latency", title, "ms", List.of(), List.of(), List.of(), yTicks(1, " ms"),
                    xTicks(minutes), List.of(), Optional.of("No call to SoundCloud in the last hour."));
        }
        long top = niceCeiling(Math.max(1, maxMillis));
        List<Chart.Line> lines = new ArrayList<>();
        List<Chart.Point> points = new ArrayList<>();
        plot(minutes, Minute::p50, "p50", P50, top, lines, points);
        plot(minutes, Minute::p95, "p95", P95, top, lines, points);
        return new Chart("chart-latency", title, "ms", List.of(), lines, points, yTicks(top, " ms"), xTicks(minutes),
                List.of(new Chart.Legend(P50, "p50"), new Chart.Legend(P95, "p95")), Optional.empty());
    }

    private static void plot(List<Minute> minutes, Function<Minute, Optional<Duration>> value, String name,
                             String color, long top, List<Chart.Line> lines, List<Chart.Point> points) {
        double column = columnWidth(minutes);
        List<String> segment = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i++) {
            Optional<Duration> latency = value.apply(minutes.get(i));
            if (latency.isEmpty()) {
                flush(segment, color, lines);
                continue;
            }
            double x = round(Chart.LEFT + i * column + column / 2);
            double y = round(Chart.HEIGHT - Chart.BOTTOM - plotHeight() * latency.get().toMillis() / top);
            segment.add(x + "," + y);
            points.add(new Chart.Point(x, y, color, Durations.minute(minutes.get(i).start()) + " UTC · " + name + " "
                    + latency.get().toMillis() + " ms over " + minutes.get(i).upstreamCalls() + " calls"));
        }
        flush(segment, color, lines);
    }

    private static void flush(List<String> segment, String color, List<Chart.Line> lines) {
        if (segment.size() > 1) {
            lines.add(new Chart.Line(String.join(" ", segment), color));
        }
        segment.clear();
    }

    /** 0, half way and the top, from the top of the plot down. */
    private static List<Chart.Tick> yTicks(long top, String unit) {
        return List.of(
                new Chart.Tick(Chart.TOP, label(top, 1, unit), "end"),
                new Chart.Tick(round(Chart.TOP + plotHeight() / 2), label(top, 2, unit), "end"),
                new Chart.Tick(Chart.HEIGHT - Chart.BOTTOM, "0", "end"));
    }

    /** {@code top / divisor}, milliseconds from a second on as seconds: {@code 500 ms}, {@code 1 s}, {@code 2.5}. */
    private static String label(long top, int divisor, String unit) {
        if (" ms".equals(unit) && top / divisor >= 1000) {
            double seconds = top / (double) divisor / 1000;
            return (seconds == Math.rint(seconds) ? Long.toString((long) seconds)
                    : String.format(Locale.ROOT, "%.1f", seconds)) + " s";
        }
        return (divisor == 1 ? Long.toString(top) : half(top)) + unit;
    }

    /** The hour's first minute, its middle and now, as UTC clock times. */
    private static List<Chart.Tick> xTicks(List<Minute> minutes) {
        if (minutes.isEmpty()) {
            return List.of();
        }
        double column = columnWidth(minutes);
        int last = minutes.size() - 1;
        return List.of(
                new Chart.Tick(Chart.LEFT, Durations.minute(minutes.getFirst().start()), "start"),
                new Chart.Tick(round(Chart.LEFT + (last / 2 + 0.5) * column), Durations.minute(minutes.get(last / 2).start()),
                        "middle"),
                new Chart.Tick(Chart.WIDTH - Chart.RIGHT, Durations.minute(minutes.get(last).start()) + " UTC", "end"));
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code value}. */
    static long niceCeiling(long value) {
        long power = 1;
        while (true) {
            for (long step : new long[] {1, 2, 5}) {
                if (step * power >= value) {
                    return step * power;
                }
            }
            power *= 10;
        }
    }

    private static String half(long top) {
        return top % 2 == 0 ? Long.toString(top / 2) : String.format(Locale.ROOT, "%.1f", top / 2.0);
    }

    private static double columnWidth(List<Minute> minutes) {
        return (double) (Chart.WIDTH - Chart.LEFT - Chart.RIGHT) / Math.max(1, minutes.size());
    }

    private static double plotHeight() {
        return Chart.HEIGHT - Chart.TOP - Chart.BOTTOM;
    }

    private static String color(String outcome) {
        return COLORS.getOrDefault(outcome, OTHER);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
