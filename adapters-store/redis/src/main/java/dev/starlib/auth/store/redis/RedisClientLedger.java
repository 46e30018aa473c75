package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.ClientRule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The per-client tallies (rate-limit buckets, wrong admin passwords) in Redis, so that every instance spends one
 * budget per client: {@code tally:<scope>:<client key>}, with a Redis expiry at the tally's {@code forgetAt}, so
 * an idle client costs nothing and a flood from rotating addresses lives no longer than its buckets take to fill.
 * <p>
 * As for sessions, the rule runs here, in Java (the domain's {@link ClientRule}), and Redis only compares and
 * sets ({@link Scripts#TALLY_COMPARE_AND_SET}): read, apply, write if unchanged, else apply again to what the script
 * sends back. The writes are not confirmed by replicas: a tally lost in a failover is a fresh budget, never a refusal.
 * <p>
 * Within one instance, updates of the same tally take turns (a lock per stripe of keys, around the read and the
 * compare-and-set), so that only another instance can make one retry: a page load's requests all come from one
 * client, and without the turns every one of them raced the others on the same key, read again and wrote again
 * (docs/performance.md, "After"). A turn waits at most the command timeout; past that, the update goes ahead
 * without it, and the compare-and-set keeps it correct. In its turn, the instance expects the value it last wrote
 * ({@link KnownValues}) without reading it first: one round trip per request while no other instance spends from
 * the same tally.
 */
final class RedisClientLedger implements ClientLedger {

    private static final int MAX_ATTEMPTS = 50;
    private static final int STRIPES = 64;
    /** Tallies whose last written value is remembered: a few clients' worth of endpoints, some hundred KB. */
    private static final int KNOWN_TALLIES = 1_024;
    private static final byte[] NOTHING = new byte[0];

    private final ReentrantLock[] turns = new ReentrantLock[STRIPES];
    private final KnownValues known = new KnownValues(KNOWN_TALLIES);
    private final LongAdder retries = new LongAdder();

    private final RedisConnection redis;
    private final ReplicatedWrites writes;
    private final RedisKeys keys;
    private final Clock clock;

    RedisClientLedger(RedisConnection redis, ReplicatedWrites writes, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.writes = writes;
        this.keys = keys;
        this.clock = clock;
        Arrays.setAll(turns, stripe -> new ReentrantLock());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(now, "now");
        byte[] key = keys.tally(scope, client);
        ReentrantLock turn = turns[Math.floorMod(Arrays.hashCode(key), STRIPES)];
        boolean taken = awaitTurn(turn);
        try {
            return updateInTurn(key, rule, now);
        } finally {
            if (taken) {
                turn.unlock();
            }
        }
    }

    /**
     * Compare-and-set attempts that found the tally changed since it was read (by another instance, normally); a
     * remembered value found out of date is not counted.
     */
    long retries() {
        return retries.sum();
    }

    private boolean awaitTurn(ReentrantLock turn) {
        try {
            return turn.tryLock(redis.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private <S, A> A updateInTurn(byte[] key, ClientRule<S, A> rule, Instant now) {
        // In its turn, this instance's last write of the tally is a good guess of what Redis holds: the
        // compare-and-set checks it, and sends back what Redis holds when it was wrong.
        byte[] stored = known.get(key);
        boolean remembered = stored != null;
        if (!remembered) {
            stored = read(key);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            S current = null;
            if (stored != null) {
                TallyCodec.Decoded decoded = decode(stored);
                current = now.isBefore(decoded.forgetAt()) ? (S) decoded.state() : null;
            }
            ClientRule.Outcome<S, A> outcome = rule.apply(current, now);
            boolean keep = outcome.next() != null && now.isBefore(outcome.forgetAt());
            if (!keep && stored == null) {
                return outcome.answer();
            }
            long ttl = Math.max(1, Duration.between(clock.instant(), outcome.forgetAt()).toMillis());
            byte[] next = keep ? TallyCodec.encode(outcome.next(), outcome.forgetAt()) : NOTHING;
            Scripts.Swap swap = Scripts.Swap.of(writes.<List<Object>>runUnconfirmed("tally",
                    Scripts.TALLY_COMPARE_AND_SET, new byte[][]{key}, stored == null ? NOTHING : stored, next,
                    Long.toString(ttl).getBytes(US_ASCII)));
            if (swap.applied()) {
                known.put(key, keep ? next : null);
                return outcome.answer();
            }
            // Another instance changed the tally (or it expired) since this one read or wrote it: apply the rule
            // to what Redis holds, which the script sent back.
            if (!remembered) {
                retries.increment();
            }
            stored = swap.held();
            remembered = false;
            known.put(key, stored);
        }
        throw new SessionStoreException("Redis at " + redis.where() + ": a client tally kept changing under "
                + MAX_ATTEMPTS + " attempts to update it", null);
    }

    /** What Redis holds under {@code key}, remembered from now on as the best guess of it. */
    private byte[] read(byte[] key) {
        byte[] held = redis.await(redis.commands().get(key), "tally");
        known.put(key, held);
        return held;
    }

    /** A tally that cannot be read is a fresh start for that client, never a refusal. */
    private static TallyCodec.Decoded decode(byte[] stored) {
        try {
            return TallyCodec.decode(stored);
        } catch (IllegalArgumentException unreadable) {
            return new TallyCodec.Decoded(null, Instant.MIN);
        }
    }

    @Override
    public String toString() {
        return "RedisClientLedger";
    }
}
