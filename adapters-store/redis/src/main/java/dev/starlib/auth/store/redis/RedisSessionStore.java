package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Transition;
import dev.starlib.auth.store.Inventory;
import dev.starlib.auth.store.SealedAnswers;
import dev.starlib.auth.store.SealedAppToken;
import dev.starlib.auth.store.SealedSessions;
import dev.starlib.auth.store.StoreKey;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Sessions in Redis, shared by every instance of the service. Each session is one sealed value (AES-256-GCM,
 * {@link SealedSessions}, under the {@code SESSION_STORE_KEY} every instance shares) with a Redis expiry, and one
 * entry in an index scored by its expiry, for capacity, purging and the operators' views.
 * <p>
 * A transition runs here, in Java: read the value, open it, apply the domain's transition, seal what it keeps,
 * and write it back with a compare-and-set script ({@link Scripts#COMPARE_AND_SET}) that succeeds only if the
 * value is still the one read. Losing the race means another instance changed the session first: read again and
 * rerun the (pure) transition on what it left. No Redis script knows what a stage is.
 * <p>
 * A session expires in Redis {@link #EXPIRY_GRACE} after its own {@code expiresAt()}, so that until the service's
 * purge (every 30 s, by the index) a late request is still told "expired" rather than "unknown", as the domain
 * decides. With {@code REDIS_WAIT_REPLICAS} set, every change is confirmed by that many replicas ({@code WAIT})
 * before the call returns, so what a client was told survives a Sentinel failover
 * ({@code docs/decisions/0010-redis-session-store.md}).
 * <p>
 * The refresh-token rotation ledger ({@link RedisRotationLedger}) and the app token's vault
 * ({@link RedisAppTokenVault}) live in the same Redis, over the same connection, with the same key and the same
 * replica confirmation ({@link ReplicatedWrites}): the single flight of a refresh and the one grant of the app token
 * hold across every instance. This class offers all four ports, as the memory and file stores do.
 */
public final class RedisSessionStore implements SessionStore, SessionInventory, RotationLedger, AppTokenVault,
        AutoCloseable {

    static final Duration EXPIRY_GRACE = Duration.ofMinutes(2);
    private static final int MAX_ATTEMPTS = 100;
    private static final int READ_BATCH = 256;
    private static final int PURGE_BATCH = 500;
    private static final byte[] NOTHING = new byte[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisSettings settings;
    private final RedisKeys keys;
    private final SealedSessions sealed;
    private final int capacity;
    private final Clock clock;
    private final AuthEvents events;
    private final RedisConnection redis;
    private final ReplicatedWrites writes;
    private final LeaseKeeper leases;
    private final RedisRotationLedger ledger;
    private final RedisAppTokenVault appToken;
    private final RedisClientLedger tallies;

    private RedisSessionStore(RedisSettings settings, StoreKey key, int capacity, Clock clock, AuthEvents events,
                              RedisConnection redis, Duration leaseTtl) {
        this.settings = settings;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.sealed = new SealedSessions(key);
        this.capacity = capacity;
        this.clock = clock;
        this.events = events;
        this.redis = redis;
        this.writes = new ReplicatedWrites(settings, redis, events);
        this.leases = new LeaseKeeper(redis, leaseTtl, clock);
        this.ledger = new RedisRotationLedger(redis, writes, keys, new SealedAnswers(key), capacity, clock, leases,
                events);
        this.appToken = new RedisAppTokenVault(redis, writes, keys, new SealedAppToken(key), leases, clock, events);
        this.tallies = new RedisClientLedger(redis, writes, keys, clock);
    }

    /**
     * Connects to Redis (one connection, shared by every caller) and checks that it takes a write.
     *
     * @param clock what Redis expiries are reckoned from; the sessions' own times come from their callers
     * @throws SessionStoreException when Redis cannot be reached, or refuses writes
     */
    public static RedisSessionStore open(RedisSettings settings, StoreKey key, int capacity, Clock clock,
                                         AuthEvents events) {
        return open(settings, key, capacity, clock, events, LeaseKeeper.defaultTtl(settings));
    }

    /**
     * As {@link #open(RedisSettings, StoreKey, int, Clock, AuthEvents)}, with leases that live {@code leaseTtl}
     * in Redis between renewals (tests make it short, to see a renewal keep a lease that would have run out).
     */
    static RedisSessionStore open(RedisSettings settings, StoreKey key, int capacity, Clock clock, AuthEvents events,
                                  Duration leaseTtl) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(events, "events");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        long deadline = System.nanoTime() + startBound(settings).toNanos();
        RedisConnection redis = connectAtStart(settings, events, deadline);
        RedisSessionStore store;
        try {
            store = new RedisSessionStore(settings, key, capacity, clock, events, redis, leaseTtl);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        try {
            store.firstProbe(deadline);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * How long a start keeps trying to reach Redis: three command timeouts, at least 3 s. A freshly started JVM on a
     * busy host can miss one timeout while it loads Lettuce and Netty and shakes hands (its first commands are then
     * rejected as "not connected", or the connect times out); a Redis that is away, or refuses writes, still fails
     * the start, within this bound.
     */
    private static Duration startBound(RedisSettings settings) {
        Duration three = settings.timeout().multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(3)) < 0 ? Duration.ofSeconds(3) : three;
    }

    private static RedisConnection connectAtStart(RedisSettings settings, AuthEvents events, long deadline) {
        while (true) {
            try {
                return RedisConnection.open(settings, events);
            } catch (SessionStoreException e) {
                pauseOrGiveUp(deadline, e);
            }
        }
    }

    private void firstProbe(long deadline) {
        while (true) {
            try {
                probeWritable();
                return;
            } catch (SessionStoreException e) {
                pauseOrGiveUp(deadline, e);
            }
        }
    }

    private static void pauseOrGiveUp(long deadline, SessionStoreException failure) {
        if (System.nanoTime() - deadline > 0) {
            throw failure;
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    @Override
    public Creation create(OAuthSession.Pending session, int pendingPerClient) {
        Objects.requireNonNull(session, "session");
        if (pendingPerClient < 1) {
            throw new IllegalArgumentException("a per-client quota is at least 1");
        }
        boolean counted = session.takesAClientPlaceAt(session.since()) && pendingPerClient < Integer.MAX_VALUE;
        long ttl = ttlMillis(session);
        List<Object> result = writes.run("create", created -> (Long) created.getFirst() == 1, Scripts.CREATE,
                new byte[][]{keys.session(session.key()), keys.index(), keys.places(session.client())},
                sealed.seal(session), number(ttl), RedisKeys.member(session.key()), score(session),
                number(session.since().toEpochMilli()), number(capacity), keys.sessionPrefix(),
                number(counted ? pendingPerClient : 0), number(ttl));
        long outcome = (Long) result.getFirst();
        if (outcome == -1) {
            throw new IllegalStateException("a session is already stored under state " + session.stateHint() + "…");
        }
        if (outcome == -2) {
            return new Creation.QuotaExceeded(pendingPerClient, Instant.ofEpochMilli((Long) result.get(1)));
        }
        return outcome == 1 ? new Creation.Created() : new Creation.Full(capacity);
    }

    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transition, "transition");
        byte[] sessionKey = keys.session(key);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            byte[] stored = redis.await(redis.commands().get(sessionKey), "update");
            OAuthSession current = stored == null ? null : open(key, stored);
            Step<A> step = transition.apply(current);
            if (!step.changes()) {
                return step.answer();
            }
            OAuthSession next = step.kept().orElse(null);
            // The domain says which sessions take a place of their client; the script only gives the place back.
            Instant now = clock.instant();
            boolean releases = current != null && current.takesAClientPlaceAt(now)
                    && (next == null || !next.takesAClientPlaceAt(now));
            ClientKey client = current == null ? ClientKey.UNKNOWN : current.client();
            long applied = writeConfirmed("update", Scripts.COMPARE_AND_SET,
                    new byte[][]{sessionKey, keys.index(), keys.places(client)},
                    stored == null ? NOTHING : stored, next == null ? NOTHING : sealed.seal(next),
                    next == null ? number(0) : number(ttlMillis(next)), RedisKeys.member(key),
                    next == null ? number(0) : score(next), number(releases ? 1 : 0));
            if (applied == 1) {
                return step.answer();
            }
            // Another instance changed the session since it was read: run the transition on what it left.
        }
        events.storeError("update");
        throw new SessionStoreException("Redis at " + redis.where() + ": the session under state "
                + key.hex().substring(0, 8) + "… kept changing under " + MAX_ATTEMPTS + " attempts to update it", null);
    }

    /**
     * Forgets every session, and every remembered rotation, whose expiry has come at {@code now}, by their indexes;
     * how many sessions went. Redis expires both by itself too; the purge keeps the indexes (capacity, the
     * operators' counts) in step.
     */
    public int purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        ledger.purgeExpired(now, PURGE_BATCH);
        int purged = 0;
        while (true) {
            // Not confirmed by replicas: a purge lost in a failover is done again by the next one.
            long batch = writes.<Long>runUnconfirmed("purge", Scripts.PURGE, new byte[][]{keys.index()},
                    number(floorMillis(now)), keys.sessionPrefix(), number(PURGE_BATCH));
            purged += (int) batch;
            if (batch < PURGE_BATCH) {
                return purged;
            }
        }
    }

    // --- the rotation ledger and the app token: see RedisRotationLedger and RedisAppTokenVault -------------

    @Override
    public Claim claim(TokenHash rotated, Instant now, Instant leaseUntil) {
        return ledger.claim(rotated, now, leaseUntil);
    }

    @Override
    public Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now,
                               Instant keepUntil) {
        return ledger.publish(lease, answer, handsOut, now, keepUntil);
    }

    @Override
    public void abandon(Lease lease) {
        ledger.abandon(lease);
    }

    @Override
    public Awaited await(Lease lease, Duration atMost) throws InterruptedException {
        return ledger.await(lease, atMost);
    }

    @Override
    public void forget(TokenHash token) {
        ledger.forget(token);
    }

    /**
     * The per-client tallies (rate limits, the admin back-off) in this Redis, shared by every instance. Clients
     * must be keyed alike on every instance for them to count as one: the same {@code CLIENT_HASH_KEY}.
     */
    public ClientLedger clientTallies() {
        return tallies;
    }

    @Override
    public Optional<AppTokenState> read() {
        return appToken.read();
    }

    @Override
    public AppTokenState renew(Renewal renewal) {
        return appToken.renew(renewal);
    }

    @Override
    public SessionCounts counts(Instant now) {
        return Inventory.counts(live(now), now);
    }

    @Override
    public List<SessionSummary> oldest(Instant now, int limit) {
        return Inventory.oldest(live(now), now, limit);
    }

    /**
     * Writes a short-lived probe key (confirmed by the replicas, when changes must be): a replica answering for a
     * demoted primary, a Redis out of memory or refusing writes after a failed save all fail it.
     */
    @Override
    public void probeWritable() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        writes.set("probe", keys.probe(), token, SetArgs.Builder.px(10_000));
    }

    /**
     * Stops renewing this process's leases and closes the connection. A refresh or app token renewal still under
     * way loses its lease within the lease expiry; a clean stop lets those finish first (the HTTP server drains).
     */
    @Override
    public void close() {
        try {
            ledger.stopRenewing();
            leases.close();
        } finally {
            redis.close();
        }
    }

    @Override
    public String toString() {
        return "RedisSessionStore[" + settings.describe() + ", capacity=" + capacity + "]";
    }

    // --- reading ----------------------------------------------------------------------------------------

    /** The sessions the index says may be unexpired at {@code now}, read in batches sent all at once. */
    private List<OAuthSession> live(Instant now) {
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        List<byte[]> members = redis.await(commands.zrangebyscore(keys.index(),
                Range.from(Range.Boundary.excluding(floorMillis(now)), Range.Boundary.unbounded())), "read");
        List<StateHash> hashes = new ArrayList<>(members.size());
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> batches = new ArrayList<>();
        for (int from = 0; from < members.size(); from += READ_BATCH) {
            List<byte[]> batch = members.subList(from, Math.min(members.size(), from + READ_BATCH));
            byte[][] sessionKeys = new byte[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                StateHash hash = new StateHash(new String(batch.get(i), US_ASCII));
                hashes.add(hash);
                sessionKeys[i] = keys.session(hash);
            }
            batches.add(commands.mget(sessionKeys));
        }
        List<OAuthSession> sessions = new ArrayList<>(members.size());
        int index = 0;
        int unreadable = 0;
        for (RedisFuture<List<KeyValue<byte[], byte[]>>> batch : batches) {
            for (KeyValue<byte[], byte[]> value : redis.await(batch, "read")) {
                StateHash hash = hashes.get(index++);
                if (value.hasValue()) {
                    try {
                        sessions.add(sealed.open(hash, value.getValue()));
                    } catch (SealedSessions.Unreadable e) {
                        unreadable++;
                    }
                }
            }
        }
        if (unreadable > 0) {
            events.storeError("unreadable");
        }
        return sessions;
    }

    /** An unreadable value is never served: the caller gets a fault (503), operators a counted error. */
    private OAuthSession open(StateHash key, byte[] value) {
        try {
            return sealed.open(key, value);
        } catch (SealedSessions.Unreadable e) {
            events.storeError("unreadable");
            throw new SessionStoreException("the session under state " + key.hex().substring(0, 8)
                    + "… in Redis at " + redis.where() + " cannot be opened: " + e.getMessage(), null);
        }
    }

    // --- writing ----------------------------------------------------------------------------------------

    /** Runs a write script and returns its answer once a change it made is confirmed ({@link ReplicatedWrites}). */
    private long writeConfirmed(String operation, Scripts.Script script, byte[][] scriptKeys, byte[]... args) {
        return writes.<Long>run(operation, applied -> applied == 1, script, scriptKeys, args);
    }

    private long ttlMillis(OAuthSession session) {
        return Math.max(1, Duration.between(clock.instant(), session.expiresAt()).plus(EXPIRY_GRACE).toMillis());
    }

    /** The index's score: the expiry in milliseconds, rounded up, so a purge never takes a session early. */
    private static byte[] score(OAuthSession session) {
        Instant expiresAt = session.expiresAt();
        long millis = expiresAt.toEpochMilli();
        return number(expiresAt.equals(Instant.ofEpochMilli(millis)) ? millis : millis + 1);
    }

    private static long floorMillis(Instant now) {
        return now.toEpochMilli();
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(US_ASCII);
    }
}
