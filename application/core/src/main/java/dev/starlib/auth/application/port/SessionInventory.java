package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;

import java.time.Instant;
import java.util.List;

/**
 * What operators may read of a session store: counts and summaries, never a secret. Reads change nothing.
 * <p>
 * The dashboard, the gauges and readiness read these every few seconds, so none of them may cost more with more
 * sessions: a store keeps its counts as it changes (per stage) and lists the oldest through an index, rather than
 * scanning what it holds (issue 12: the same cost at a million sessions as at a hundred).
 */
public interface SessionInventory {

    /** How many unexpired sessions each stage holds at {@code now}. */
    SessionCounts counts(Instant now);

    /** Up to {@code limit} unexpired sessions, oldest first (by when their stage began, then by key). */
    List<SessionSummary> oldest(Instant now, int limit);

    /**
     * Returns quietly when the store could take a write now; throws {@link SessionStoreException} when it could
     * not (stopped after an I/O error, its files gone or read-only, its server unreachable). Changes nothing and
     * is cheap: readiness probes call it every few seconds.
     */
    void probeWritable();
}
