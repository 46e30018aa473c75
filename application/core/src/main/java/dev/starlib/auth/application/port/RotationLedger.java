package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Where the answer to a refresh-token rotation is remembered for the reuse window, and where concurrent refreshes
 * of one token agree that only one of them calls SoundCloud. Everything is keyed by the SHA-256 of the refresh
 * token being rotated; answers are {@link SealedRotation}s, which the ledger cannot open. What an answer means and
 * how long it is kept is the caller's business: a ledger keeps bytes until a deadline, hands them to waiters, and
 * forgets them when asked.
 * <p>
 * The shape is <em>claim, publish, await</em> so that a store in another process can offer it across instances
 * (decision 0008): a lease is a set-if-absent with an expiry, a publication a durable write plus a notification, an
 * await a subscription. The memory and file stores use in-process primitives for the lease and the waiting, so
 * there the single flight holds within one process.
 * <p>
 * Faults are thrown as {@link SessionStoreException}, as for sessions.
 */
public interface RotationLedger {

    /**
     * Asks to rotate {@code rotated}: served from memory if an answer is still remembered at {@code now}; else
     * granted a lease until {@code leaseUntil} if no other caller holds one (an expired lease counts as none);
     * else told to await the one that does.
     */
    Claim claim(TokenHash rotated, Instant now, Instant leaseUntil);

    /**
     * Ends the lease with an answer: every waiter gets it, and it is remembered until {@code keepUntil} (durably:
     * on disk before this returns, for a durable store). {@code handsOut} names the tokens the answer hands out, so
     * that a sign-out of any of them forgets it too. Nothing is remembered when {@code keepUntil} is not after
     * {@code now}, when the ledger is full, or when the token was forgotten while its rotation was under way.
     * A lease that expired and was granted again meanwhile is left to its new holder; the answer is still
     * remembered, since it is what SoundCloud said.
     *
     * @throws SessionStoreException when the answer could not be made durable; the waiters have it all the same
     */
    Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now, Instant keepUntil);

    /** Ends the lease without an answer: the waiters are told so, and may claim for themselves. */
    void abandon(Lease lease);

    /**
     * Waits at most {@code atMost} for the rotation {@code lease} names to end: its answer, or word that it ended
     * without one (abandoned, expired, or superseded by a newer lease). An answer published before the call is
     * returned at once.
     */
    Awaited await(Lease lease, Duration atMost) throws InterruptedException;

    /**
     * Forgets every remembered answer kept for {@code token}, or handing it out; a rotation of it under way is
     * handed to its waiters but not remembered. For a sign-out: no cached answer outlives it.
     */
    void forget(TokenHash token);

    /** One caller's right to rotate a token, until {@code until}; {@code holder} tells leases of one token apart. */
    record Lease(TokenHash rotated, String holder, Instant until) {
        public Lease {
            Objects.requireNonNull(rotated, "rotated");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(until, "until");
        }
    }

    sealed interface Claim {
        /** This caller rotates: call SoundCloud, then {@link #publish} or {@link #abandon}. */
        record Granted(Lease lease) implements Claim {
        }

        /** The token was rotated moments ago and its answer is still remembered: no call is needed. */
        record Remembered(SealedRotation answer) implements Claim {
        }

        /** Another caller holds the lease: {@link #await} its answer. */
        record Underway(Lease lease) implements Claim {
        }
    }

    sealed interface Awaited {
        record Published(SealedRotation answer) implements Awaited {
        }

        /** The rotation ended without an answer: claim again. */
        record Ended() implements Awaited {
        }

        /** Still under way after the wait. */
        record StillUnderway() implements Awaited {
        }
    }

    /** What became of a published answer; the waiters have it in every case. */
    enum Publication {
        /** Remembered until its deadline. */
        REMEMBERED,
        /** Nothing was to be kept: the deadline was not after now. */
        NOT_KEPT,
        /** Not remembered: the ledger holds as many answers as it may. */
        FULL,
        /** Not remembered: the token was signed out while its rotation was under way. */
        FORGOTTEN
    }
}
