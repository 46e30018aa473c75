package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Transition;

/**
 * Where logins wait between requests, keyed by the hash of their state. A store keeps {@link OAuthSession}s
 * and applies {@link Transition}s; what a stage means is decided in the domain, never here. A store's own
 * jobs are atomicity per key, capacity and expiry.
 * <p>
 * Faults (a disk error, an unreachable server) are thrown as {@link SessionStoreException}; they are not
 * answers about a session.
 */
public interface SessionStore {

    /**
     * Stores a new login, unless the store is full: existing sessions are never evicted for it (expired ones
     * may be). A key that is already stored is a bug: {@link IllegalStateException}.
     * No per-client quota applies: {@link #create(OAuthSession.Pending, int)} with no limit.
     */
    default Creation create(OAuthSession.Pending session) {
        return create(session, Integer.MAX_VALUE);
    }

    /**
     * Stores a new login, unless the store is full or its client already holds {@code pendingPerClient} places
     * ({@link OAuthSession#takesAClientPlaceAt}: which sessions count is the domain's rule; the store counts them,
     * and keeps the count in step with every create and transition, expiry included). The client's quota is checked
     * before the capacity, so one client at its quota never fills the store for the others.
     *
     * @param pendingPerClient at least 1
     */
    Creation create(OAuthSession.Pending session, int pendingPerClient);

    /**
     * Applies {@code transition} to the session stored under {@code key} (or to none), atomically: of two
     * concurrent updates of one key, the second sees what the first left. Keeps what the resulting
     * {@link dev.starlib.auth.domain.Step#kept() step keeps} (nothing, for an ended session) and returns its
     * answer. A store may apply a transition more than once when it lost a race; transitions are pure.
     * Capacity does not apply: a login the user completed is never dropped for lack of room.
     */
    <A> A update(StateHash key, Transition<A> transition);

    sealed interface Creation {
        record Created() implements Creation {
        }

        /** The store holds as many sessions as it may; the caller should retry later. */
        record Full(int capacity) implements Creation {
        }

        /**
         * The session's client already has {@code limit} logins waiting for SoundCloud; nothing was stored.
         * {@code nextPlaceAt} is when the oldest of them expires, at the latest, and frees a place.
         */
        record QuotaExceeded(int limit, java.time.Instant nextPlaceAt) implements Creation {
        }
    }
}
