package dev.starlib.auth.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.RedisFuture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The store's Lua scripts. They compare and move bytes, deadlines and expiry scores; none of them can read a
 * session, an answer or the app token (every value is sealed) or knows what a stage or a token is. Each runs
 * atomically in Redis, so a value and its entry in an index never disagree, and a lease is taken, extended or let
 * go only by its holder.
 */
final class Scripts {

    /**
     * Stores a new session unless its client already holds {@code limit} places, or the index holds
     * {@code capacity} sessions. The client's places are a sorted set of state hashes scored by expiry: those at or
     * before {@code now} are dropped first (an expired login takes no place), and the quota is checked before the
     * capacity, so a client at its quota never fills the store. When the index is full, the sessions whose expiry
     * score is at or before {@code now} are forgotten first (from the index and from every view), as the memory
     * store does. A place is taken only once the session is stored. Which sessions take a place is decided in Java
     * (the domain's rule): a transition that ends a session's place removes it ({@link #COMPARE_AND_SET}).
     * <p>
     * Besides the index, a session is entered in two views that operators read: the age index (scored by when its
     * stage began) and the set it joins (scored by expiry; Java passes the set of the session's stage, so counting
     * a stage is one {@code ZCOUNT}).
     * KEYS: session, index, places, age index, the set it joins, then any other views (all purged alike).
     * ARGV: sealed value, ttl ms, member, expiry ms, now ms, capacity, session key prefix, limit (0: no quota),
     * places ttl ms, since score.
     * Returns {1} stored, {0} full, {-1} the key holds another session, {-2, oldest place's expiry ms} the client
     * is at its quota. A value equal to ours is our own create, sent again by the client after a reconnect: stored.
     */
    static final Script CREATE = new Script("""
            local current = redis.call('GET', KEYS[1])
            if current == ARGV[1] then return {1} end
            if current then return {-1} end
            local limit = tonumber(ARGV[8])
            if limit > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[5])
              if redis.call('ZCARD', KEYS[3]) >= limit then
                local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
                return {-2, tonumber(oldest[2])}
              end
            end
            local capacity = tonumber(ARGV[6])
            if redis.call('ZCARD', KEYS[2]) >= capacity then
              local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5], 'LIMIT', 0, 1000)
              for _, member in ipairs(expired) do
                redis.call('DEL', ARGV[7] .. member)
                redis.call('ZREM', KEYS[2], member)
                for view = 4, #KEYS do redis.call('ZREM', KEYS[view], member) end
              end
              if redis.call('ZCARD', KEYS[2]) >= capacity then return {0} end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
            redis.call('ZADD', KEYS[4], ARGV[10], ARGV[3])
            redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
            if limit > 0 then
              redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
              if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[9]) then redis.call('PEXPIRE', KEYS[3], ARGV[9]) end
            end
            return {1}
            """, ScriptOutputType.MULTI);

    /**
     * Compare-and-set: replaces the value only if it is still the one the transition was computed from. Sealed
     * values carry a random nonce, so the value is its own version: no two writes are equal, and a key that was
     * removed and written again never looks unchanged (a counter would, once it restarted).
     * When the session read took a place of its client and what is kept no longer does ({@code release} = 1: it
     * was consumed, cancelled, or it ends), the place is given back in the same step.
     * The views move with the value: a kept session joins the set Java names (its stage's) and leaves the others
     * it names (the stage it had), and its age index score is set anew; a removed one leaves them all.
     * KEYS: session, index, places of the client of the value read, age index, the set it joins (when removed:
     * any), the sets it leaves. ARGV: expected value ('' = none), new value ('' = remove), ttl ms, member,
     * expiry ms, release (1 or 0), since score.
     * Returns {1} applied (or already applied: our own write, sent again after a reconnect); {0, value held} or,
     * when nothing is held, {0}: the value was not the one expected, and here is what to compute from instead
     * (the caller's expectation may be a value it remembers rather than one it just read: {@link KnownValues}).
     */
    static final Script COMPARE_AND_SET = new Script("""
            local current = redis.call('GET', KEYS[1])
            if ARGV[2] ~= '' and current == ARGV[2] then return {1} end
            if (current or '') ~= ARGV[1] then
              if current then return {0, current} end
              return {0}
            end
            if ARGV[2] == '' then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[4])
              for view = 4, #KEYS do redis.call('ZREM', KEYS[view], ARGV[4]) end
            else
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
              for left = 6, #KEYS do redis.call('ZREM', KEYS[left], ARGV[4]) end
              redis.call('ZADD', KEYS[5], ARGV[5], ARGV[4])
              redis.call('ZADD', KEYS[4], ARGV[7], ARGV[4])
            end
            if ARGV[6] == '1' then redis.call('ZREM', KEYS[3], ARGV[4]) end
            return {1}
            """, ScriptOutputType.MULTI);

    /**
     * Forgets up to {@code batch} entries of an index (sessions, remembered rotations) whose expiry score is at or
     * before {@code now}, with their values and their entries in the views given. KEYS: index, then any views.
     * ARGV: now ms, value key prefix, batch. Returns how many went.
     */
    static final Script PURGE = new Script("""
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            for _, member in ipairs(expired) do
              redis.call('DEL', ARGV[2] .. member)
              redis.call('ZREM', KEYS[1], member)
              for view = 2, #KEYS do redis.call('ZREM', KEYS[view], member) end
            end
            return #expired
            """);

    /**
     * Sweeps a view (a stage's set) of entries the index no longer backs: up to {@code batch} whose expiry score
     * is at or before {@code now} and whose session the index holds no more, or holds with a later expiry (an
     * instance of the previous version changed or removed it, in the index only). The entry leaves this view, and,
     * when the index no longer holds the session, the other views given. A session the index still holds expired
     * is left to {@link #PURGE}. KEYS: the view, the index, then the other views. ARGV: now ms, batch. Returns how
     * many entries went.
     */
    static final Script SWEEP = new Script("""
            local now = tonumber(ARGV[1])
            local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            local swept = 0
            for _, member in ipairs(stale) do
              local expiry = redis.call('ZSCORE', KEYS[2], member)
              if not expiry then
                redis.call('ZREM', KEYS[1], member)
                for view = 3, #KEYS do redis.call('ZREM', KEYS[view], member) end
                swept = swept + 1
              elseif tonumber(expiry) > now then
                redis.call('ZREM', KEYS[1], member)
                swept = swept + 1
              end
            end
            return swept
            """);

    // --- the rotation ledger ---------------------------------------------------------------------------

    /**
     * Claims the rotation of a refresh token. An answer still remembered at {@code now} is returned; else the lease,
     * if another holder's is still running at {@code now} by its own deadline; else this caller's lease is set
     * ({@code SET NX PX}, after dropping a lease past its deadline). A lease value is {@code <holder>:<until ms>}.
     * KEYS: rotation, lease. ARGV: now ms, lease value, lease ttl ms.
     * Returns {0} granted (also when the lease is already ours: our own claim, sent again), {1, answer} remembered,
     * {2, lease value} under way.
     */
    static final Script CLAIM = new Script("""
            local kept = redis.call('HMGET', KEYS[1], 'until', 'answer')
            if kept[1] and tonumber(kept[1]) > tonumber(ARGV[1]) then return {1, kept[2]} end
            local lease = redis.call('GET', KEYS[2])
            if lease == ARGV[2] then return {0} end
            if lease then
              local untilMs = tonumber(string.match(lease, ':(%d+)$'))
              if untilMs and untilMs > tonumber(ARGV[1]) then return {2, lease} end
              redis.call('DEL', KEYS[2])
            end
            redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
            return {0}
            """, ScriptOutputType.MULTI);

    /**
     * Ends a rotation with its answer: kept for the waiters of this lease ({@code done}) in every case; remembered
     * until {@code keepUntil} unless that is not after now, the token was forgotten during this lease, or the index
     * is full (after forgetting the answers whose time is up); then the lease is released if it is still this one
     * (compare-and-delete: a newer holder's is left alone).
     * KEYS: rotation, lease, done, forgotten, index. ARGV: lease value, holder, sealed answer, now ms, keep-until ms,
     * kept ttl ms, done ttl ms, capacity, member, handed-out hashes ({@code h1,h2,}), rotation key prefix,
     * hands-out key prefix.
     * Returns 1 remembered, 2 not kept, 3 full, 4 forgotten.
     */
    static final Script PUBLISH = new Script("""
            local now = tonumber(ARGV[4])
            local keepUntil = tonumber(ARGV[5])
            redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[7])
            local outcome = 1
            if keepUntil <= now then
              outcome = 2
            elseif redis.call('GET', KEYS[4]) == ARGV[2] then
              outcome = 4
            elseif not redis.call('ZSCORE', KEYS[5], ARGV[9]) and redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[8]) then
              local expired = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[4], 'LIMIT', 0, 1000)
              for _, member in ipairs(expired) do
                redis.call('DEL', ARGV[11] .. member)
                redis.call('ZREM', KEYS[5], member)
              end
              if redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[8]) then outcome = 3 end
            end
            if outcome == 1 then
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'until', ARGV[5], 'answer', ARGV[3], 'hands', ARGV[10])
              redis.call('PEXPIRE', KEYS[1], ARGV[6])
              redis.call('ZADD', KEYS[5], ARGV[5], ARGV[9])
              for token in string.gmatch(ARGV[10], '([0-9a-f]+),') do
                local key = ARGV[12] .. token
                redis.call('SADD', key, ARGV[9])
                if redis.call('PTTL', key) < tonumber(ARGV[6]) then redis.call('PEXPIRE', key, ARGV[6]) end
              end
            end
            if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
            return outcome
            """);

    /**
     * Forgets every answer remembered for a token or handing it out (found through the token's hands-out set and
     * checked against each answer's own list), and marks a rotation of it under way so its answer is not remembered.
     * KEYS: rotation, hands-out, lease, forgotten, index. ARGV: token hash, rotation key prefix, now ms, least
     * marker ttl ms. Returns 1.
     */
    static final Script FORGET = new Script("""
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[5], ARGV[1])
            for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              local key = ARGV[2] .. member
              local hands = redis.call('HGET', key, 'hands')
              if hands and string.find(hands, ARGV[1] .. ',', 1, true) then
                redis.call('DEL', key)
                redis.call('ZREM', KEYS[5], member)
              end
            end
            redis.call('DEL', KEYS[2])
            local lease = redis.call('GET', KEYS[3])
            if lease then
              local holder, untilMs = string.match(lease, '^(.+):(%d+)$')
              local ttl = tonumber(untilMs) - tonumber(ARGV[3]) + tonumber(ARGV[4])
              if ttl < tonumber(ARGV[4]) then ttl = tonumber(ARGV[4]) end
              redis.call('SET', KEYS[4], holder, 'PX', ttl)
            end
            return 1
            """);

    // --- leases ------------------------------------------------------------------------------------------

    /**
     * Takes a lease that nobody holds ({@code SET NX PX}). KEYS: lease. ARGV: owner value, ttl ms.
     * Returns 1 taken (or already ours: our own request, sent again), 0 held by another.
     */
    static final Script ACQUIRE = new Script("""
            local current = redis.call('GET', KEYS[1])
            if current == ARGV[1] then return 1 end
            if current then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
            return 1
            """);

    /** Extends a lease that is still ours. KEYS: lease. ARGV: owner value, ttl ms. Returns 1 extended, 0 not ours. */
    static final Script RENEW = new Script("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """);

    /** Compare-and-delete: lets go of a lease that is still ours. KEYS: lease. ARGV: owner value. Returns 1 or 0. */
    static final Script RELEASE = new Script("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    // --- client tallies ------------------------------------------------------------------------------------

    /**
     * Compare-and-set of a client tally: replaces it, with a fresh expiry, or deletes it, only if it is still the
     * one read. Tallies of one client's requests are often equal (the same bucket at the same instant), so unlike
     * sessions a value equal to the new one is not taken for our own write sent again: it is compared as read.
     * KEYS: tally. ARGV: expected ('' = none), new value ('' = delete), ttl ms. Returns {1} applied; {0, value
     * held} or {0} (nothing held) when the tally was not the one expected.
     */
    static final Script TALLY_COMPARE_AND_SET = new Script("""
            local current = redis.call('GET', KEYS[1])
            if (current or '') ~= ARGV[1] then
              if current then return {0, current} end
              return {0}
            end
            if ARGV[2] == '' then
              redis.call('DEL', KEYS[1])
            else
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            end
            return {1}
            """, ScriptOutputType.MULTI);

    // --- the app token -----------------------------------------------------------------------------------

    /**
     * Replaces a value (kept without expiry) only if it is still the one read. KEYS: value. ARGV: expected
     * ('' = none), new value. Returns 1 written (or already: our own write, sent again), 0 changed meanwhile.
     */
    static final Script REPLACE_IF_UNCHANGED = new Script("""
            local current = redis.call('GET', KEYS[1]) or ''
            if current == ARGV[2] then return 1 end
            if current ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2])
            return 1
            """);

    private Scripts() {
    }

    /**
     * What a compare-and-set answered ({@link #COMPARE_AND_SET}, {@link #TALLY_COMPARE_AND_SET}): applied, or not,
     * with what the key holds instead (null: nothing).
     */
    record Swap(boolean applied, byte[] held) {

        static Swap of(List<Object> answer) {
            boolean applied = wrote(answer);
            return new Swap(applied, !applied && answer.size() > 1 ? (byte[]) answer.get(1) : null);
        }

        /** Whether {@code answer} says the compare-and-set wrote: then its replicas are waited for. */
        static boolean wrote(List<Object> answer) {
            return (Long) answer.getFirst() == 1;
        }

        @Override
        public String toString() {
            return applied ? "Swap[applied]" : "Swap[not applied, " + (held == null ? "nothing" : "a value") + " held]";
        }
    }

    /** A script run by its SHA-1 ({@code EVALSHA}), sent in full once when Redis does not know it yet. */
    record Script(String source, String sha, ScriptOutputType output) {

        Script(String source) {
            this(source, ScriptOutputType.INTEGER);
        }

        Script(String source, ScriptOutputType output) {
            this(source, sha1(source), output);
        }

        <T> RedisFuture<T> start(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return redis.evalsha(sha, output, keys, args);
        }

        /** For a Redis that answered NOSCRIPT to {@link #start}: a restarted or newly promoted one. */
        <T> RedisFuture<T> startInFull(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return redis.eval(source.getBytes(StandardCharsets.UTF_8), output, keys, args);
        }

        static boolean unknownTo(Throwable failure) {
            return failure instanceof RedisNoScriptException;
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-1", e);
            }
        }
    }
}
