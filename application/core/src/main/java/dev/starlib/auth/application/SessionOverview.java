package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;

import java.time.Clock;
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

    /** Whether the store can take a write now (readiness), and if so how many sessions it holds. */
    public StoreReading<SessionCounts> writable() {
        return read(() -> {
            inventory.probeWritable();
            return inventory.counts(clock.instant());
        });
    }

    private static <T> StoreReading<T> read(Supplier<T> read) {
        try {
            return new StoreReading.Read<>(read.get());
        } catch (SessionStoreException e) {
            return new StoreReading.Unavailable<>(String.valueOf(e.getMessage()));
        }
    }
}
