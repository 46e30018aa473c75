package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.ClientRule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

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
 * Within one instance, the requests on a tally take turns ({@link TallyQueue}, one queue per stripe of keys): the
 * requests that arrive while one turn is at Redis are served together in the next, the rule applied to each in the
 * order they came and one compare-and-set for all of them, so only another instance can make a turn retry, and a
 * page load's requests (all from one client, several at once) cost a round trip per turn rather than per request.
 * Each request's answer is the one it would have had alone in that order, and each is answered only once the
 * write that counts it is in Redis. A request waits in the queue at most the command timeout; past that it is
 * served on its own, and the compare-and-set keeps it correct. In its turn, the instance expects the value it last wrote
 * ({@link KnownValues}) without reading it first: one round trip per turn while no other instance spends from the
 * same tally.
 */
final class RedisClientLedger implements ClientLedger {

    private static final int MAX_ATTEMPTS = 50;
    private static final int STRIPES = 64;
    /** Tallies whose last written value is remembered: a few clients' worth of endpoints, some hundred KB. */
    private static final int KNOWN_TALLIES = 1_024;
    private static final byte[] NOTHING = new byte[0];

    private final TallyQueue[] queues = new TallyQueue[STRIPES];
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
        Arrays.setAll(queues, stripe -> new TallyQueue(this::serve, redis.timeout()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(now, "now");
        byte[] key = keys.tally(scope, client);
        return (A) queues[Math.floorMod(Arrays.hashCode(key), STRIPES)].submit(new TallyQueue.Request(key, rule, now));
    }

    /**
     * Compare-and-set attempts that found the tally changed since it was read (by another instance, normally); a
     * remembered value found out of date is not counted.
     */
    long retries() {
        return retries.sum();
    }

    /** One turn: the requests on each tally, in the order they came, with one compare-and-set for each tally. */
    private void serve(List<TallyQueue.Request> turn) {
        if (turn.size() == 1) {
            serveTally(turn.getFirst().key, turn);
            return;
        }
        Map<ByteBuffer, List<TallyQueue.Request>> byTally = new LinkedHashMap<>();
        for (TallyQueue.Request request : turn) {
            byTally.computeIfAbsent(ByteBuffer.wrap(request.key), tally -> new ArrayList<>()).add(request);
        }
        for (List<TallyQueue.Request> requests : byTally.values()) {
            try {
                serveTally(requests.getFirst().key, requests);
            } catch (RuntimeException failure) {
                requests.forEach(request -> request.fail(failure));
            }
        }
    }

    /** The rule of each request applied in turn to what the one before left, and the last of them written. */
    private void serveTally(byte[] key, List<TallyQueue.Request> requests) {
        // In its turn, this instance's last write of the tally is a good guess of what Redis holds: the
        // compare-and-set checks it, and sends back what Redis holds when it was wrong.
        byte[] stored = known.get(key);
        boolean remembered = stored != null;
        if (!remembered) {
            stored = read(key);
        }
        Object[] answers = new Object[requests.size()];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Object state = null;
            Instant forgetAt = Instant.MIN;
            if (stored != null) {
                TallyCodec.Decoded decoded = decode(stored);
                state = decoded.state();
                forgetAt = decoded.forgetAt();
            }
            for (int i = 0; i < answers.length; i++) {
                TallyQueue.Request request = requests.get(i);
                Object current = request.now.isBefore(forgetAt) ? state : null;
                ClientRule.Outcome<Object, Object> outcome = request.rule.apply(current, request.now);
                boolean keep = outcome.next() != null && request.now.isBefore(outcome.forgetAt());
                state = keep ? outcome.next() : null;
                forgetAt = keep ? outcome.forgetAt() : Instant.MIN;
                answers[i] = outcome.answer();
            }
            if (state == null && stored == null) {
                answer(requests, answers);
                return;
            }
            // Nothing to keep is a delete, whose expiry is never used.
            long ttl = state == null ? 1 : Math.max(1, Duration.between(clock.instant(), forgetAt).toMillis());
            byte[] next = state != null ? TallyCodec.encode(state, forgetAt) : NOTHING;
            Scripts.Swap swap = Scripts.Swap.of(writes.<List<Object>>runUnconfirmed("tally",
                    Scripts.TALLY_COMPARE_AND_SET, new byte[][]{key}, stored == null ? NOTHING : stored, next,
                    Long.toString(ttl).getBytes(US_ASCII)));
            if (swap.applied()) {
                known.put(key, state != null ? next : null);
                answer(requests, answers);
                return;
            }
            // Another instance changed the tally (or it expired) since this one read or wrote it: apply the rules
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

    private static void answer(List<TallyQueue.Request> requests, Object[] answers) {
        for (int i = 0; i < answers.length; i++) {
            requests.get(i).answer(answers[i]);
        }
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
