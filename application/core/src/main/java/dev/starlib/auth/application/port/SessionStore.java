package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Instant;
import java.util.List;

/**
 * Where logins wait: pending (started, waiting for SoundCloud), then finished (waiting for pickup), then
 * picked up. Every transition is atomic per key: of two concurrent consumes or pickups, exactly one wins.
 * A session's lifecycle, keyed by the hash of its state:
 * <pre>
 *   savePending -> [pending] -consumePending-> [consumed] -saveFinished-> [finished] -pickUp-> [picked up]
 * </pre>
 * Entries expire: pending at their own {@code expiresAt}; the consumed marker at the moment of consumption plus
 * the result TTL; finished logins and picked-up markers at the finished login's {@code expiresAt}. A state
 * completed by the direct flow ({@code /callback}) keeps its consumed marker until it expires, so a replay
 * is answered "already used".
 * All four stages count toward the store's capacity.
 */
public interface SessionStore {

    /**
     * Stores a new pending login, unless the store is full; existing sessions are never evicted for it.
     * Saving a key that already exists is a bug: {@link IllegalStateException}.
     */
    SaveOutcome savePending(PendingAuthorization pending);

    /** Takes the pending login for this key, exactly once. */
    ConsumeOutcome consumePending(StateHash key, Instant now);

    /**
     * Records how a consumed login ended, for one pickup. Follows a successful {@link #consumePending}; a second
     * result for the same login is a bug ({@link IllegalStateException}). Capacity does not apply: a login the
     * user completed is never dropped for lack of room.
     */
    void saveFinished(FinishedLogin finished);

    /** Hands a finished login out, exactly once. */
    PickUpOutcome pickUp(StateHash key, Instant now);

    /** Drops a pending login (operator action); true when there was one to drop. */
    boolean cancelPending(StateHash key);

    /** Removes everything that has expired; returns how many entries went. */
    int purgeExpired(Instant now);

    /** What is in the store now, without secrets: for operators. */
    List<SessionSummary> summaries(Instant now);

    /** How many unexpired sessions each stage holds now: what {@link #summaries} would count, without building them. */
    StoreCounts counts(Instant now);

    /**
     * Returns quietly when the store could take a write now; throws {@link SessionStoreException} when it could
     * not (stopped after an I/O error, its files gone or read-only). Changes nothing and is cheap: readiness
     * probes call it every few seconds.
     */
    void probeWritable();

    sealed interface SaveOutcome {
        record Saved() implements SaveOutcome {
        }

        /** The store holds as many sessions as it may; the caller should retry later. */
        record Full(int capacity) implements SaveOutcome {
        }
    }

    sealed interface ConsumeOutcome {
        record Consumed(PendingAuthorization pending) implements ConsumeOutcome {
        }

        /** No such login was started here (or it is long gone). */
        record Unknown() implements ConsumeOutcome {
        }

        /** The login was started but waited longer than the pending TTL. */
        record Expired() implements ConsumeOutcome {
        }

        /** The state was already used: a replay, a double click, or a second tab. */
        record AlreadyUsed() implements ConsumeOutcome {
        }
    }

    sealed interface PickUpOutcome {
        record Ready(FinishedLogin finished) implements PickUpOutcome {
        }

        /** Still pending or being exchanged, or unknown: the desktop app keeps polling on this. */
        record NotReady() implements PickUpOutcome {
        }

        record AlreadyPickedUp() implements PickUpOutcome {
        }
    }

    /** Sessions per stage, for gauges and the operator dashboard. */
    record StoreCounts(int pending, int exchanging, int finished, int pickedUp) {

        public StoreCounts {
            if (pending < 0 || exchanging < 0 || finished < 0 || pickedUp < 0) {
                throw new IllegalArgumentException("counts cannot be negative");
            }
        }

        public int total() {
            return pending + exchanging + finished + pickedUp;
        }
    }

    /** One session as an operator may see it: a state hint, never the state. */
    record SessionSummary(StateHash key, String stateHint, Stage stage, String returnToOrigin,
                          Instant createdAt, Instant expiresAt) {
        public enum Stage { PENDING, EXCHANGING, FINISHED, PICKED_UP }
    }
}
