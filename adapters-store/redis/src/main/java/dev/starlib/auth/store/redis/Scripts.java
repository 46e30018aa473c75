package dev.starlib.auth.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.RedisFuture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The store's three Lua scripts. They compare and move bytes and expiry scores; none of them can read a session
 * (every value is sealed) or knows what a stage is. Each runs atomically in Redis, so a session's value and its
 * entry in the index never disagree.
 */
final class Scripts {

    /**
     * Stores a new session unless the index holds {@code capacity} sessions; when it does, first forgets the
     * sessions whose expiry score is at or before {@code now}, as the memory store does.
     * KEYS: session, index. ARGV: sealed value, ttl ms, member, expiry ms, now ms, capacity, session key prefix.
     * Returns 1 stored, 0 full, -1 the key holds another session. A value equal to ours is our own create,
     * sent again by the client after a reconnect: stored.
     */
    static final Script CREATE = new Script("""
            local current = redis.call('GET', KEYS[1])
            if current == ARGV[1] then return 1 end
            if current then return -1 end
            local capacity = tonumber(ARGV[6])
            if redis.call('ZCARD', KEYS[2]) >= capacity then
              local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5], 'LIMIT', 0, 1000)
              for _, member in ipairs(expired) do
                redis.call('DEL', ARGV[7] .. member)
                redis.call('ZREM', KEYS[2], member)
              end
              if redis.call('ZCARD', KEYS[2]) >= capacity then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
            return 1
            """);

    /**
     * Compare-and-set: replaces the value only if it is still the one the transition was computed from. Sealed
     * values carry a random nonce, so the value is its own version: no two writes are equal, and a key that was
     * removed and written again never looks unchanged (a counter would, once it restarted).
     * KEYS: session, index. ARGV: expected value ('' = none), new value ('' = remove), ttl ms, member, expiry ms.
     * Returns 1 applied (or already applied: our own write, sent again after a reconnect), 0 lost the race.
     */
    static final Script COMPARE_AND_SET = new Script("""
            local current = redis.call('GET', KEYS[1]) or ''
            if ARGV[2] ~= '' and current == ARGV[2] then return 1 end
            if current ~= ARGV[1] then return 0 end
            if ARGV[2] == '' then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[4])
            else
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
            end
            return 1
            """);

    /**
     * Forgets up to {@code batch} sessions whose expiry score is at or before {@code now}.
     * KEYS: index. ARGV: now ms, session key prefix, batch. Returns how many went.
     */
    static final Script PURGE = new Script("""
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            for _, member in ipairs(expired) do
              redis.call('DEL', ARGV[2] .. member)
              redis.call('ZREM', KEYS[1], member)
            end
            return #expired
            """);

    private Scripts() {
    }

    /** A script run by its SHA-1 ({@code EVALSHA}), sent in full once when Redis does not know it yet. */
    record Script(String source, String sha) {

        Script(String source) {
            this(source, sha1(source));
        }

        RedisFuture<Long> start(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        }

        /** For a Redis that answered NOSCRIPT to {@link #start}: a restarted or newly promoted one. */
        RedisFuture<Long> startInFull(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return redis.eval(source.getBytes(StandardCharsets.UTF_8), ScriptOutputType.INTEGER, keys, args);
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
