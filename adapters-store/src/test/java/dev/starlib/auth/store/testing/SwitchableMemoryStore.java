package dev.starlib.auth.store.testing;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Transition;
import dev.starlib.auth.store.MemorySessionStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The real {@link MemorySessionStore}, for tests of the use cases and routes: the lifecycle (and the rotation ledger)
 * they run is the real one. Two switches only a test needs: start over empty (with another capacity), and fail
 * every call as a full disk would. It adds no rule of its own.
 */
public final class SwitchableMemoryStore implements SessionStore, SessionInventory, RotationLedger, AppTokenVault {

    public static final int DEFAULT_CAPACITY = 100;

    private volatile MemorySessionStore store = new MemorySessionStore(DEFAULT_CAPACITY);
    private volatile boolean broken;

    /** Empty again, working, with the default capacity. */
    public void reset() {
        reset(DEFAULT_CAPACITY);
    }

    /** Empty again, working, holding at most {@code capacity} sessions. */
    public void reset(int capacity) {
        store = new MemorySessionStore(capacity);
        broken = false;
    }

    /** From now on every call fails with {@link SessionStoreException}, until the next {@link #reset}. */
    public void breakDown() {
        broken = true;
    }

    public int purgeExpired(Instant now) {
        return call(() -> store.purgeExpired(now));
    }

    @Override
    public Creation create(OAuthSession.Pending session, int pendingPerClient) {
        return call(() -> store.create(session, pendingPerClient));
    }

    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        return call(() -> store.update(key, transition));
    }

    @Override
    public SessionCounts counts(Instant now) {
        return call(() -> store.counts(now));
    }

    @Override
    public List<SessionSummary> oldest(Instant now, int limit) {
        return call(() -> store.oldest(now, limit));
    }

    @Override
    public void probeWritable() {
        call(() -> {
            store.probeWritable();
            return null;
        });
    }

    @Override
    public Claim claim(TokenHash rotated, Instant now, Instant leaseUntil) {
        return call(() -> store.claim(rotated, now, leaseUntil));
    }

    @Override
    public Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now,
                               Instant keepUntil) {
        MemorySessionStore current = store;
        if (broken) {
            // As the file store on a broken disk: the waiters get the answer, nothing is remembered, the call fails.
            current.publish(lease, answer, handsOut, now, now);
        }
        return call(() -> current.publish(lease, answer, handsOut, now, keepUntil));
    }

    @Override
    public void abandon(Lease lease) {
        store.abandon(lease);
    }

    @Override
    public Awaited await(Lease lease, Duration atMost) throws InterruptedException {
        return store.await(lease, atMost);
    }

    @Override
    public void forget(TokenHash token) {
        call(() -> {
            store.forget(token);
            return null;
        });
    }

    @Override
    public Optional<AppTokenState> read() {
        return call(() -> store.read());
    }

    @Override
    public AppTokenState renew(Renewal renewal) {
        return call(() -> store.renew(renewal));
    }

    private <T> T call(Supplier<T> operation) {
        if (broken) {
            throw new SessionStoreException("disk full (test)", new IOException("No space left on device"));
        }
        return operation.get();
    }

    @Override
    public String toString() {
        return "SwitchableMemoryStore[" + store + (broken ? ", broken" : "") + "]";
    }
}
