package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The last hour, minute by minute, for the dashboard's charts: logins and refreshes counted by outcome, and how
 * long SoundCloud took to answer. A ring of {@value #MINUTES} slots, one per wall-clock minute, reused as time
 * moves on, so memory stays the same under any traffic. Latencies go into a log-scaled histogram per minute
 * (buckets {@value #GROWTH_PERCENT} % apart), from which p50 and p95 are read to within that much.
 * Counters since start live in the meters; this only keeps what a chart of the last hour needs.
 */
public final class Trends {

    public static final int MINUTES = 60;
    /** The outcomes a login and a refresh can end in, in the order the charts stack and list them. */
    public static final List<String> LOGIN_OUTCOMES = AuthEvents.LOGIN_OUTCOMES;
    public static final List<String> REFRESH_OUTCOMES = AuthEvents.REFRESH_OUTCOMES;
    static final int GROWTH_PERCENT = 5;
    private static final double GROWTH = 1 + GROWTH_PERCENT / 100.0;
    /** Bucket i holds latencies up to {@code FIRST_BOUND_MICROS * GROWTH^i}; the last one everything beyond. */
    private static final double FIRST_BOUND_MICROS = 500;
    private static final int BUCKETS = 1 + (int) Math.ceil(Math.log(120_000_000 / FIRST_BOUND_MICROS) / Math.log(GROWTH));

    private final Slot[] slots = new Slot[MINUTES];

    /** One minute's figures; {@code minute} says which minute (since the epoch) the slot holds now. */
    private static final class Slot {
        long minute = Long.MIN_VALUE;
        final Map<String, Integer> logins = new LinkedHashMap<>();
        final Map<String, Integer> refreshes = new LinkedHashMap<>();
        final int[] latency = new int[BUCKETS];
        int calls;

        void reuseFor(long newMinute) {
            minute = newMinute;
            logins.clear();
            refreshes.clear();
            java.util.Arrays.fill(latency, 0);
            calls = 0;
        }
    }

    public Trends() {
        for (int i = 0; i < MINUTES; i++) {
            slots[i] = new Slot();
        }
    }

    public synchronized void login(Instant at, String outcome) {
        slot(at).logins.merge(outcome, 1, Integer::sum);
    }

    public synchronized void refresh(Instant at, String outcome) {
        slot(at).refreshes.merge(outcome, 1, Integer::sum);
    }

    public synchronized void upstreamCall(Instant at, Duration latency) {
        Slot slot = slot(at);
        slot.latency[bucket(latency)]++;
        slot.calls++;
    }

    /** The {@value #MINUTES} minutes up to and including the one {@code now} is in, oldest first. */
    public synchronized List<Minute> lastHour(Instant now) {
        long current = minuteOf(now);
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (long minute = current - MINUTES + 1; minute <= current; minute++) {
            Slot slot = slots[index(minute)];
            if (slot.minute == minute) {
                minutes.add(new Minute(Instant.ofEpochSecond(minute * 60), Map.copyOf(slot.logins),
                        Map.copyOf(slot.refreshes), slot.calls, percentile(slot, 0.50), percentile(slot, 0.95)));
            } else {
                minutes.add(Minute.empty(Instant.ofEpochSecond(minute * 60)));
            }
        }
        return Collections.unmodifiableList(minutes);
    }

    /**
     * What one minute saw.
     *
     * @param p50 median SoundCloud latency, empty when no call was made in that minute
     * @param p95 95th percentile, likewise
     */
    public record Minute(Instant start, Map<String, Integer> logins, Map<String, Integer> refreshes, int upstreamCalls,
                         Optional<Duration> p50, Optional<Duration> p95) {

        public Minute {
            Objects.requireNonNull(start, "start");
            logins = Map.copyOf(logins);
            refreshes = Map.copyOf(refreshes);
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p95, "p95");
        }

        static Minute empty(Instant start) {
            return new Minute(start, Map.of(), Map.of(), 0, Optional.empty(), Optional.empty());
        }
    }

    /** The slot for {@code at}'s minute, emptied first when it last held an older minute. */
    private Slot slot(Instant at) {
        long minute = minuteOf(at);
        Slot slot = slots[index(minute)];
        if (slot.minute != minute) {
            if (slot.minute > minute) {
                // An event from more than an hour before the newest one (a clock stepped back): not worth a slot.
                return new Slot();
            }
            slot.reuseFor(minute);
        }
        return slot;
    }

    private static long minuteOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60);
    }

    private static int index(long minute) {
        return (int) Math.floorMod(minute, MINUTES);
    }

    static int bucket(Duration latency) {
        double micros = Math.max(0, latency.toNanos() / 1000.0);
        if (micros <= FIRST_BOUND_MICROS) {
            return 0;
        }
        int bucket = (int) Math.ceil(Math.log(micros / FIRST_BOUND_MICROS) / Math.log(GROWTH));
        return Math.min(bucket, BUCKETS - 1);
    }

    /** The upper bound of {@code bucket}: what a percentile that falls in it is reported as. */
    static Duration upperBound(int bucket) {
        return Duration.ofNanos(Math.round(FIRST_BOUND_MICROS * Math.pow(GROWTH, bucket) * 1000));
    }

    private static Optional<Duration> percentile(Slot slot, double quantile) {
        if (slot.calls == 0) {
            return Optional.empty();
        }
        long rank = (long) Math.ceil(quantile * slot.calls);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += slot.latency[i];
            if (seen >= rank) {
                return Optional.of(upperBound(i));
            }
        }
        return Optional.of(upperBound(BUCKETS - 1));
    }
}
