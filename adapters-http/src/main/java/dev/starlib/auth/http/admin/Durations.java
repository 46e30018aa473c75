package dev.starlib.auth.http.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as an operator reads them at a glance: {@code 45s}, {@code 2m 05s}, {@code 1h 02m}; clock times in UTC. */
final class Durations {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private Durations() {
    }

    static String brief(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** A minute of the day, {@code 14:05}, in UTC. */
    static String minute(Instant instant) {
        return MINUTE.format(instant);
    }

    static String clock(Instant instant) {
        return CLOCK.format(instant);
    }
}
