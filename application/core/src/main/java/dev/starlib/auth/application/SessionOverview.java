package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** What operators see of the logins in flight (dashboard, gauges, readiness): counts and summaries, no secret. */
public final class SessionOverview {

    private final SessionInventory inventory;
    private final Clock clock;

    public SessionOverview(SessionInventory inventory, Clock clock) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sessions per stage now. */
    public StoreReading<SessionCounts> counts() {
        return read(() -> inventory.counts(clock.instant()));
    }

    /** The {@code limit} oldest sessions now. */
    public StoreReading<List<SessionSummary>> oldest(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return read(() -> inventory.oldest(clock.instant(), limit));
    }

    /**
     * Whether the store can take a write now (readiness), and if so how long its write probe took (for Redis, the
     * round trip of a write) and how many sessions it holds.
     */
    public StoreReading<Writable> writable() {
        return read(() -> {
            long started = System.nanoTime();
            inventory.probeWritable();
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            return new Writable(inventory.counts(clock.instant()), latency);
        });
    }

    /** A store that took its write probe: in {@code probeLatency}, holding {@code sessions}. */
    public record Writable(SessionCounts sessions, Duration probeLatency) {
        public Writable {
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(probeLatency, "probeLatency");
        }
    }

    private static <T> StoreReading<T> read(Supplier<T> read) {
        try {
            return new StoreReading.Read<>(read.get());
        } catch (SessionStoreException e) {
            return new StoreReading.Unavailable<>(String.valueOf(e.getMessage()));
        }
    }
}
