package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.ClientRule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The per-client tallies (rate-limit buckets, wrong admin passwords) in Redis, so that every instance spends one
 * budget per client: {@code tally:<scope>:<client key>}, with a Redis expiry at the tally's {@code forgetAt}, so
 * an idle client costs nothing and a flood from rotating addresses lives no longer than its buckets take to fill.
 * <p>
 * As for sessions, the rule runs here, in Java (the domain's {@link ClientRule}), and Redis only compares and
 * sets ({@link Scripts#TALLY_COMPARE_AND_SET}): read, apply, write if unchanged, else read again. The writes are not
 * confirmed by replicas: a tally lost in a failover is a fresh budget, never a refusal.
 */
final class RedisClientLedger implements ClientLedger {

    private static final int MAX_ATTEMPTS = 50;
    private static final byte[] NOTHING = new byte[0];

    private final RedisConnection redis;
    private final ReplicatedWrites writes;
    private final RedisKeys keys;
    private final Clock clock;

    RedisClientLedger(RedisConnection redis, ReplicatedWrites writes, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.writes = writes;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(now, "now");
        byte[] key = keys.tally(scope, client);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            byte[] stored = redis.await(redis.commands().get(key), "tally");
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
            long applied = writes.<Long>runUnconfirmed("tally", Scripts.TALLY_COMPARE_AND_SET, new byte[][]{key},
                    stored == null ? NOTHING : stored,
                    keep ? TallyCodec.encode(outcome.next(), outcome.forgetAt()) : NOTHING,
                    Long.toString(ttl).getBytes(US_ASCII));
            if (applied == 1) {
                return outcome.answer();
            }
            // Another instance changed the tally since it was read: apply the rule to what it left.
        }
        throw new SessionStoreException("Redis at " + redis.where() + ": a client tally kept changing under "
                + MAX_ATTEMPTS + " attempts to update it", null);
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
