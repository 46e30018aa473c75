package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Transition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sessions in this process's memory: lost on restart, which costs users in the middle of a login one retry.
 * They live in a {@link SessionTable}: every transition runs inside its map's {@code compute}, so it is atomic per
 * key; each session takes a few hundred bytes; counts and the oldest sessions are read from counters and indexes the
 * table keeps up to date, never by a scan, and a purge visits only what expired. The rotation ledger lives here too
 * ({@link RotationBook}, under a lock of its own), so a restart also forgets the reuse window. The app token is kept
 * here too, for this process only: a restart costs one client-credentials grant.
 */
public final class MemorySessionStore implements SessionStore, SessionInventory, RotationLedger, AppTokenVault {

    private final int capacity;
    private final RotationBook rotations;
    private final ReentrantLock rotationLock = new ReentrantLock();
    private final SessionTable sessions = new SessionTable();
    /** Places taken, counted ahead of the insert so that concurrent creations cannot overshoot the capacity. */
    private final AtomicInteger taken = new AtomicInteger();
    /** Per-client quota, counted under the creations' lock. */
    private final PendingPlaces places = new PendingPlaces();
    private final ReentrantLock quotaLock = new ReentrantLock();
    private final AtomicReference<AppTokenState> appToken = new AtomicReference<>();
    /** Held while a renewal runs (it may wait for SoundCloud), so that concurrent askers cause one call. */
    private final ReentrantLock renewing = new ReentrantLock();

    /** @param capacity how many sessions, in any stage, may be held at once; and as many remembered rotations */
    public MemorySessionStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.rotations = new RotationBook(capacity);
    }

    /**
     * Creations take one lock, so that a place counted for a client is always a stored session by the time another
     * creation of that client counts again; transitions never take it (a lock order with no cycle).
     */
    @Override
    public Creation create(OAuthSession.Pending session, int pendingPerClient) {
        Objects.requireNonNull(session, "session");
        Instant now = session.since();
        SessionTable.Key key = SessionTable.Key.of(session.key());
        quotaLock.lock();
        try {
            Optional<Instant> quotaFull = places.take(key, session, pendingPerClient, now, sessions);
            if (quotaFull.isPresent()) {
                return new Creation.QuotaExceeded(pendingPerClient, quotaFull.get());
            }
            if (!takePlace()) {
                purgeExpiredSessions(now);
                if (!takePlace()) {
                    places.giveBack(key, session);
                    return new Creation.Full(capacity);
                }
            }
            if (!sessions.insert(key, session)) {
                taken.decrementAndGet();
                places.giveBack(key, session);
                throw new IllegalStateException("a session is already stored under state " + session.stateHint() + "…");
            }
            return new Creation.Created();
        } finally {
            quotaLock.unlock();
        }
    }

    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transition, "transition");
        SessionTable.Applied<A> applied = sessions.apply(key, transition);
        if (applied.delta() != 0) {
            taken.addAndGet(applied.delta());
        }
        return applied.answer();
    }

    /** Forgets every session (and remembered rotation) whose time is up; returns how many sessions went. */
    public int purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        withRotations(() -> {
            rotations.removeExpired(now);
            rotations.dropFinishedFlights(now);
            return null;
        });
        quotaLock.lock();
        try {
            int purged = purgeExpiredSessions(now);
            places.prune(now, sessions);
            return purged;
        } finally {
            quotaLock.unlock();
        }
    }

    /** Forgets every session whose time is up; returns how many went. Visits only what expired (the expiry index). */
    private int purgeExpiredSessions(Instant now) {
        int purged = 0;
        for (SessionTable.Key key : sessions.expiredAt(now)) {
            if (sessions.removeIfExpired(key, now)) {
                taken.decrementAndGet();
                purged++;
            }
        }
        return purged;
    }

    /** From the table's counters: the same cost at a million sessions as at a hundred. */
    @Override
    public SessionCounts counts(Instant now) {
        return sessions.counts(now);
    }

    /** From the head of the table's index by age. */
    @Override
    public List<SessionSummary> oldest(Instant now, int limit) {
        return sessions.oldest(now, limit);
    }

    /** Memory always takes a write (the capacity is an answer, not a fault). */
    @Override
    public void probeWritable() {
    }

    // --- the rotation ledger ----------------------------------------------------------------------------

    @Override
    public Claim claim(TokenHash rotated, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(rotated, "rotated");
        return withRotations(() -> rotations.claim(rotated, now, leaseUntil));
    }

    @Override
    public Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now,
                               Instant keepUntil) {
        Objects.requireNonNull(answer, "answer");
        return withRotations(() -> {
            Publication publication = rotations.decide(lease, now, keepUntil);
            if (publication == Publication.FULL) {
                rotations.removeExpired(now);
                publication = rotations.decide(lease, now, keepUntil);
            }
            if (publication == Publication.REMEMBERED) {
                rotations.keep(lease.rotated(), new RotationBook.Kept(answer, handsOut, keepUntil));
            }
            rotations.end(lease, Optional.of(answer));
            return publication;
        });
    }

    @Override
    public void abandon(Lease lease) {
        withRotations(() -> {
            rotations.end(lease, Optional.empty());
            return null;
        });
    }

    @Override
    public Awaited await(Lease lease, Duration atMost) throws InterruptedException {
        CompletableFuture<Optional<SealedRotation>> outcome = withRotations(() -> rotations.outcomeOf(lease));
        return RotationBook.await(outcome, atMost);
    }

    @Override
    public void forget(TokenHash token) {
        withRotations(() -> {
            rotations.removeKeptFor(token);
            rotations.markForgotten(token);
            return null;
        });
    }

    @Override
    public Optional<AppTokenState> read() {
        return Optional.ofNullable(appToken.get());
    }

    @Override
    public AppTokenState renew(Renewal renewal) {
        Objects.requireNonNull(renewal, "renewal");
        renewing.lock();
        try {
            AppTokenState next = Objects.requireNonNull(renewal.apply(read()), "a renewal returns what to keep");
            appToken.set(next);
            return next;
        } finally {
            renewing.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemorySessionStore[capacity=" + capacity + ", sessions=" + sessions.size() + "]";
    }

    private <T> T withRotations(java.util.function.Supplier<T> work) {
        rotationLock.lock();
        try {
            return work.get();
        } finally {
            rotationLock.unlock();
        }
    }

    private boolean takePlace() {
        int held;
        do {
            held = taken.get();
            if (held >= capacity) {
                return false;
            }
        } while (!taken.compareAndSet(held, held + 1));
        return true;
    }
}
