package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.store.SealedAppToken;
import dev.starlib.auth.store.SealedSessions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The app token in Redis, one value for every instance ({@code app-token}, sealed under the store key, no expiry),
 * renewed by one instance at a time (decision 0011's sketch, built as decision 0010 says):
 * <ol>
 *   <li>one renewal at a time in this process (a lock), so that only one of its callers competes for the lease;</li>
 *   <li>the lease {@code app-token-lease}: {@code SET NX PX} with a random owner ({@link Scripts#ACQUIRE}); an
 *       instance that finds it taken polls (every 10 ms at first, at most every 100 ms) until it is free;</li>
 *   <li>kept alive while the renewal runs ({@link LeaseKeeper}), so a renewal slower than the lease's expiry is
 *       never joined by a second one, while a process that dies mid-renewal frees it within that expiry;</li>
 *   <li>the state is read under the lease and given to the renewal; what it returns is written only if the value is
 *       still the one read ({@link Scripts#REPLACE_IF_UNCHANGED}), confirmed by the replicas like any change;</li>
 *   <li>the lease is let go by compare-and-delete.</li>
 * </ol>
 * Whoever waited then reads the renewed state, and the use case's renewal returns it unchanged: one call to
 * SoundCloud however many instances ask. A read never waits for a renewal.
 */
final class RedisAppTokenVault implements AppTokenVault {

    private static final System.Logger LOG = System.getLogger(RedisAppTokenVault.class.getName());
    /**
     * The longest a renewal keeps the lease alive, and an instance waits for another's: beyond any renewal the use
     * case can make (two SoundCloud calls, each bounded by SOUNDCLOUD_TIMEOUT_MS, at most 600 s).
     */
    static final Duration LONGEST_RENEWAL = Duration.ofMinutes(30);
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long LONGEST_POLL_MILLIS = 100;
    private static final byte[] NOTHING = new byte[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisConnection redis;
    private final ReplicatedWrites writes;
    private final RedisKeys keys;
    private final SealedAppToken sealed;
    private final LeaseKeeper leases;
    private final Clock clock;
    private final AuthEvents events;
    private final ReentrantLock renewing = new ReentrantLock();

    RedisAppTokenVault(RedisConnection redis, ReplicatedWrites writes, RedisKeys keys, SealedAppToken sealed,
                       LeaseKeeper leases, Clock clock, AuthEvents events) {
        this.redis = redis;
        this.writes = writes;
        this.keys = keys;
        this.sealed = sealed;
        this.leases = leases;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public Optional<AppTokenState> read() {
        byte[] stored = redis.await(redis.commands().get(keys.appToken()), "read");
        return stored == null ? Optional.empty() : Optional.of(open(stored));
    }

    @Override
    public AppTokenState renew(Renewal renewal) {
        Objects.requireNonNull(renewal, "renewal");
        renewing.lock();
        try {
            String owner = newOwner();
            acquire(owner);
            LeaseKeeper.Kept kept = leases.keep(keys.appTokenLease(), owner, clock.instant().plus(LONGEST_RENEWAL));
            try {
                return renewHolding(renewal);
            } finally {
                kept.stop();
                release(owner);
            }
        } finally {
            renewing.unlock();
        }
    }

    private AppTokenState renewHolding(Renewal renewal) {
        byte[] stored = redis.await(redis.commands().get(keys.appToken()), "renew");
        Optional<AppTokenState> current = stored == null ? Optional.empty() : Optional.of(open(stored));
        AppTokenState next = Objects.requireNonNull(renewal.apply(current), "a renewal returns what to keep");
        if (current.isPresent() && next == current.get()) {
            return next; // nothing changed: nothing is written
        }
        long written = writes.<Long>run("renew", replaced -> replaced == 1, Scripts.REPLACE_IF_UNCHANGED,
                new byte[][]{keys.appToken()}, stored == null ? NOTHING : stored, sealed.seal(next));
        if (written == 1) {
            return next;
        }
        // Only if this lease lapsed under the renewal (Redis unreachable longer than its expiry, or lost in a failover)
        // and another instance renewed meanwhile: keep theirs, which is as fresh, rather than overwrite it.
        LOG.log(System.Logger.Level.WARNING, "app token: another instance renewed it while this one did; keeping theirs");
        return read().orElse(next);
    }

    /** Takes the lease, waiting for another instance's renewal to end; bounded by {@link #LONGEST_RENEWAL}. */
    private void acquire(String owner) {
        long deadline = System.nanoTime() + LONGEST_RENEWAL.plus(leases.ttl()).toNanos();
        long pause = FIRST_POLL_MILLIS;
        byte[] value = owner.getBytes(US_ASCII);
        byte[] ttl = Long.toString(leases.ttl().toMillis()).getBytes(US_ASCII);
        while (true) {
            long taken = writes.<Long>run("renew", acquired -> acquired == 1, Scripts.ACQUIRE,
                    new byte[][]{keys.appTokenLease()}, value, ttl);
            if (taken == 1) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                events.storeError("renew");
                throw new SessionStoreException("Redis at " + redis.where() + ": another instance has been renewing "
                        + "the app token for longer than " + LONGEST_RENEWAL.toMinutes() + " minutes", null);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionStoreException("interrupted while waiting for another instance's app token renewal",
                        e);
            }
            pause = Math.min(pause * 2, LONGEST_POLL_MILLIS);
        }
    }

    private void release(String owner) {
        try {
            writes.<Long>run("renew", released -> released == 1, Scripts.RELEASE, new byte[][]{keys.appTokenLease()},
                    owner.getBytes(US_ASCII));
        } catch (SessionStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "app token: the renewal lease could not be let go (" + e.getMessage()
                    + "); it lapses within " + leases.ttl().toMillis() + " ms");
        }
    }

    /** A token that does not open under the store key is a fault, never "no token": a grant would replace it. */
    private AppTokenState open(byte[] stored) {
        try {
            return sealed.open(stored);
        } catch (SealedSessions.Unreadable e) {
            events.storeError("unreadable");
            throw new SessionStoreException("the app token in Redis at " + redis.where() + " cannot be opened: "
                    + e.getMessage(), null);
        }
    }

    private static String newOwner() {
        byte[] owner = new byte[16];
        RANDOM.nextBytes(owner);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(owner);
    }

    @Override
    public String toString() {
        return "RedisAppTokenVault";
    }
}
