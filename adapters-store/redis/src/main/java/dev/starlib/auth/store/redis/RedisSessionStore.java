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
import dev.starlib.auth.store.SealedAnswers;
import dev.starlib.auth.store.SealedAppToken;
import dev.starlib.auth.store.SealedSessions;
import dev.starlib.auth.store.StoreKey;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Sessions in Redis, shared by every instance of the service. Each session is one sealed value (AES-256-GCM,
 * {@link SealedSessions}, under the {@code SESSION_STORE_KEY} every instance shares) with a Redis expiry, one
 * entry in an index scored by its expiry, for capacity and purging, and an entry in each of two views kept for
 * operators: the set of its stage (scored by expiry) and the age index (scored by when its stage began). The same
 * scripts change a value and all its entries, atomically, so what operators read costs the same whatever Redis
 * holds ({@link #counts}, {@link #oldest}) and is shared by every instance.
 * <p>
 * A transition runs here, in Java: read the value, open it, apply the domain's transition, seal what it keeps,
 * and write it back with a compare-and-set script ({@link Scripts#COMPARE_AND_SET}) that succeeds only if the
 * value is still the one read. Losing the race means another instance changed the session first: the script sends
 * back what it left, and the (pure) transition runs again on that. No Redis script knows what a stage is. When a
 * login's next step reaches the instance that wrote its last value (always, with one instance), that instance
 * remembers the value ({@link KnownValues}) and the compare-and-set expects it without reading it first, one round
 * trip instead of two; a transition that writes nothing still reads what Redis holds before it answers.
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
    private static final int MAX_AGE_WINDOW = 1_024;
    /** Sessions whose last written value is remembered: a few MB at most, many times the logins in flight. */
    private static final int KNOWN_SESSIONS = 4_096;
    /** The stages a store keeps (an ended session is never stored), each with its set. */
    private static final List<OAuthSession.Stage> STORED_STAGES = Arrays.stream(OAuthSession.Stage.values())
            .filter(stage -> !stage.ended()).toList();
    private static final Comparator<SessionSummary> OLDEST_FIRST =
            Comparator.comparing(SessionSummary::since).thenComparing(summary -> summary.key().hex());

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
    private final KnownValues known = new KnownValues(KNOWN_SESSIONS);

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
        byte[] sessionKey = keys.session(session.key());
        byte[] value = sealed.seal(session);
        List<Object> result = writes.run("create", created -> (Long) created.getFirst() == 1, Scripts.CREATE,
                withViews(new byte[][]{sessionKey, keys.index(), keys.places(session.client()),
                        keys.byAge(), keys.inStage(session.stage())}, session.stage()),
                value, number(ttl), RedisKeys.member(session.key()), score(session),
                number(session.since().toEpochMilli()), number(capacity), keys.sessionPrefix(),
                number(counted ? pendingPerClient : 0), number(ttl), ageScore(session));
        long outcome = (Long) result.getFirst();
        if (outcome == -1) {
            throw new IllegalStateException("a session is already stored under state " + session.stateHint() + "…");
        }
        if (outcome == -2) {
            return new Creation.QuotaExceeded(pendingPerClient, Instant.ofEpochMilli((Long) result.get(1)));
        }
        if (outcome != 1) {
            return new Creation.Full(capacity);
        }
        known.put(sessionKey, value);
        return new Creation.Created();
    }

    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transition, "transition");
        byte[] sessionKey = keys.session(key);
        // What this instance last wrote here saves the read before a write; the compare-and-set checks it.
        byte[] stored = known.get(sessionKey);
        boolean remembered = stored != null;
        if (!remembered) {
            stored = read(sessionKey);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            OAuthSession current = stored == null ? null : open(key, stored);
            Step<A> step;
            try {
                step = transition.apply(current);
            } catch (RuntimeException refused) {
                // The domain refuses a step the use case would never take on what Redis holds (a result before
                // the consume, say): only a value remembered here, and since changed, can be so far behind.
                if (!remembered) {
                    throw refused;
                }
                remembered = false;
                stored = read(sessionKey);
                continue;
            }
            if (!step.changes()) {
                // An answer that writes nothing is checked against Redis: nothing would tell a stale one.
                if (remembered) {
                    remembered = false;
                    byte[] held = read(sessionKey);
                    if (!Arrays.equals(held, stored)) {
                        stored = held;
                        continue;
                    }
                }
                return step.answer();
            }
            OAuthSession next = step.kept().orElse(null);
            // The domain says which sessions take a place of their client; the script only gives the place back.
            Instant now = clock.instant();
            boolean releases = current != null && current.takesAClientPlaceAt(now)
                    && (next == null || !next.takesAClientPlaceAt(now));
            ClientKey client = current == null ? ClientKey.UNKNOWN : current.client();
            byte[] value = next == null ? NOTHING : sealed.seal(next);
            Scripts.Swap swap = Scripts.Swap.of(writes.<List<Object>>run("update", Scripts.Swap::wrote,
                    Scripts.COMPARE_AND_SET, viewKeys(sessionKey, client, current, next),
                    stored == null ? NOTHING : stored, value,
                    next == null ? number(0) : number(ttlMillis(next)), RedisKeys.member(key),
                    next == null ? number(0) : score(next), number(releases ? 1 : 0),
                    next == null ? number(0) : ageScore(next)));
            if (swap.applied()) {
                known.put(sessionKey, next == null ? null : value);
                return step.answer();
            }
            // Another instance changed the session since it was read (or since this one wrote it): run the
            // transition on what it left, which the script sent back.
            stored = swap.held();
            remembered = false;
            known.put(sessionKey, stored);
        }
        events.storeError("update");
        throw new SessionStoreException("Redis at " + redis.where() + ": the session under state "
                + key.hex().substring(0, 8) + "… kept changing under " + MAX_ATTEMPTS + " attempts to update it", null);
    }

    /** What Redis holds under {@code sessionKey}, remembered from now on as the best guess of it. */
    private byte[] read(byte[] sessionKey) {
        byte[] held = redis.await(redis.commands().get(sessionKey), "update");
        known.put(sessionKey, held);
        return held;
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
            long batch = writes.<Long>runUnconfirmed("purge", Scripts.PURGE, withViews(new byte[][]{keys.index(),
                            keys.byAge()}, null),
                    number(floorMillis(now)), keys.sessionPrefix(), number(PURGE_BATCH));
            purged += (int) batch;
            if (batch < PURGE_BATCH) {
                break;
            }
        }
        sweepViews(now);
        return purged;
    }

    /**
     * After the purge, what is left in a stage's set at or before {@code now} is an entry the index does not back:
     * a session an instance of the previous version changed or removed (it knew only the index). Swept here, so a
     * rolling upgrade leaves nothing behind. Usually each set has nothing to sweep: one {@code ZRANGEBYSCORE} each.
     */
    private void sweepViews(Instant now) {
        for (OAuthSession.Stage stage : STORED_STAGES) {
            byte[][] scriptKeys = withViews(new byte[][]{keys.inStage(stage), keys.index(), keys.byAge()}, stage);
            while (true) {
                long swept = writes.<Long>runUnconfirmed("purge", Scripts.SWEEP, scriptKeys,
                        number(floorMillis(now)), number(PURGE_BATCH));
                if (swept < PURGE_BATCH) {
                    break;
                }
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

    /**
     * One round trip of a {@code ZCOUNT} per stage, whatever Redis holds. The sets are scored by expiry in whole
     * milliseconds, rounded up: when {@code now} falls inside a millisecond, the sessions that expire in that same
     * millisecond (few, usually none) are opened to tell which of them have expired.
     */
    @Override
    public SessionCounts counts(Instant now) {
        Objects.requireNonNull(now, "now");
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        long floor = floorMillis(now);
        boolean withinAMillisecond = !Instant.ofEpochMilli(floor).equals(now);
        long surelyUnexpiredAbove = withinAMillisecond ? floor + 1 : floor;
        List<RedisFuture<Long>> surely = new ArrayList<>(STORED_STAGES.size());
        List<RedisFuture<List<byte[]>>> boundary = new ArrayList<>(STORED_STAGES.size());
        for (OAuthSession.Stage stage : STORED_STAGES) {
            surely.add(commands.zcount(keys.inStage(stage), Range.from(
                    Range.Boundary.excluding(surelyUnexpiredAbove), Range.Boundary.unbounded())));
            if (withinAMillisecond) {
                boundary.add(commands.zrangebyscore(keys.inStage(stage), Range.create(floor + 1, floor + 1)));
            }
        }
        int[] perStage = new int[OAuthSession.Stage.values().length];
        for (int i = 0; i < STORED_STAGES.size(); i++) {
            perStage[STORED_STAGES.get(i).ordinal()] = Math.toIntExact(redis.await(surely.get(i), "read"));
        }
        if (withinAMillisecond) {
            List<byte[]> members = new ArrayList<>();
            for (RedisFuture<List<byte[]>> stage : boundary) {
                members.addAll(redis.await(stage, "read"));
            }
            for (OAuthSession session : opened(members)) {
                if (!session.isExpiredAt(now)) {
                    perStage[session.stage().ordinal()]++;
                }
            }
        }
        return new SessionCounts(perStage[OAuthSession.Stage.PENDING.ordinal()],
                perStage[OAuthSession.Stage.EXCHANGING.ordinal()], perStage[OAuthSession.Stage.FINISHED.ordinal()],
                perStage[OAuthSession.Stage.PICKED_UP.ordinal()]);
    }

    /**
     * Walks the age index from its head, a few entries at a time, keeping those the index says may be unexpired
     * at {@code now}, until {@code limit} surely unexpired ones are found (and any that began in the same
     * microsecond as the last of them: the age index orders by microseconds, the port by the exact instant); then
     * opens only those. The cost is {@code O(limit)} round-trip work, plus the expired sessions not purged yet
     * that began before the oldest unexpired ones: the purge (every 30 s) keeps those to what expires between two
     * purges ({@code docs/decisions/0010-redis-session-store.md}).
     */
    @Override
    public List<SessionSummary> oldest(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            return List.of();
        }
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        long floor = floorMillis(now);
        long surelyUnexpiredAbove = Instant.ofEpochMilli(floor).equals(now) ? floor : floor + 1;
        // By state hash: a session that moved while the walk went on is seen once.
        Map<String, byte[]> candidates = new LinkedHashMap<>();
        int surely = 0;
        double lastAge = Double.NaN;
        long from = 0;
        int window = (int) Math.min(limit + 16L, MAX_AGE_WINDOW);
        walk:
        while (true) {
            List<ScoredValue<byte[]>> entries = redis.await(commands.zrangeWithScores(keys.byAge(), from,
                    from + window - 1), "read");
            if (entries.isEmpty()) {
                break;
            }
            byte[][] members = new byte[entries.size()][];
            for (int i = 0; i < members.length; i++) {
                members[i] = entries.get(i).getValue();
            }
            List<Double> expiries = redis.await(commands.zmscore(keys.index(), members), "read");
            for (int i = 0; i < members.length; i++) {
                double age = entries.get(i).getScore();
                if (surely >= limit && age != lastAge) {
                    break walk;
                }
                Double expiry = expiries.get(i);
                if (expiry != null && expiry > floor) {
                    candidates.putIfAbsent(new String(members[i], US_ASCII), members[i]);
                    if (expiry > surelyUnexpiredAbove && surely < limit) {
                        surely++;
                        lastAge = age;
                    }
                }
            }
            if (entries.size() < window) {
                break;
            }
            from += window;
            window = Math.min(window * 2, MAX_AGE_WINDOW);
        }
        return opened(List.copyOf(candidates.values())).stream()
                .filter(session -> !session.isExpiredAt(now))
                .map(OAuthSession::summary)
                .sorted(OLDEST_FIRST)
                .limit(limit)
                .toList();
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

    /**
     * The sessions stored under {@code members} (state hashes, as the indexes hold them), read in batches sent all
     * at once; one removed meanwhile is left out, one that cannot be opened too (counted as an error).
     */
    private List<OAuthSession> opened(List<byte[]> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
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

    /** How long Redis keeps {@code session}: until {@link #EXPIRY_GRACE} after its own expiry, at least 1 ms. */
    private long ttlMillis(OAuthSession session) {
        return Math.max(1, Duration.between(clock.instant(), session.expiresAt()).plus(EXPIRY_GRACE).toMillis());
    }

    /**
     * The keys of a compare-and-set: the session, the index, the places, the age index, the set of the stage
     * kept (of the stage read, when nothing is kept), and the set of the stage read when it is left.
     */
    private byte[][] viewKeys(byte[] sessionKey, ClientKey client, OAuthSession current, OAuthSession next) {
        OAuthSession.Stage joins = next != null ? next.stage() : current != null ? current.stage() : null;
        OAuthSession.Stage leaves = current != null && current.stage() != joins ? current.stage() : null;
        byte[][] scriptKeys = {sessionKey, keys.index(), keys.places(client), keys.byAge(),
                keys.inStage(joins == null ? OAuthSession.Stage.PENDING : joins)};
        if (leaves == null) {
            return scriptKeys;
        }
        byte[][] withLeft = Arrays.copyOf(scriptKeys, scriptKeys.length + 1);
        withLeft[scriptKeys.length] = keys.inStage(leaves);
        return withLeft;
    }

    /** {@code scriptKeys} followed by the set of every stored stage but {@code except}. */
    private byte[][] withViews(byte[][] scriptKeys, OAuthSession.Stage except) {
        List<byte[]> all = new ArrayList<>(List.of(scriptKeys));
        for (OAuthSession.Stage stage : STORED_STAGES) {
            if (stage != except) {
                all.add(keys.inStage(stage));
            }
        }
        return all.toArray(byte[][]::new);
    }

    /**
     * The age index's score: when the stage began, in whole microseconds since the epoch (exact as a Redis score,
     * a double, until the year 2255); instants within one microsecond are put in order in Java.
     */
    private static byte[] ageScore(OAuthSession session) {
        Instant since = session.since();
        return number(Math.addExact(Math.multiplyExact(since.getEpochSecond(), 1_000_000L), since.getNano() / 1_000));
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
