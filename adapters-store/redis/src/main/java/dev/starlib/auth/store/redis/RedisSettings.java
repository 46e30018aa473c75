package dev.starlib.auth.store.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Redis store reaches and uses Redis.
 *
 * @param location     {@code REDIS_URL}
 * @param keyPrefix    {@code REDIS_KEY_PREFIX}: every key starts with it, then the hash tag {@code {auth}}
 * @param timeout      {@code REDIS_TIMEOUT_MS}: the bound on every command, and on connecting
 * @param waitReplicas {@code REDIS_WAIT_REPLICAS}: how many replicas must have a change before it is acknowledged
 *                     ({@code WAIT}); 0 acknowledges once the primary has it
 */
public record RedisSettings(RedisLocation location, String keyPrefix, Duration timeout, int waitReplicas) {

    /** Printable ASCII without spaces or braces: braces would move the hash tag. */
    private static final Pattern PREFIX = Pattern.compile("[!-z|~]{0,64}");

    public RedisSettings {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must be at most 64 printable ASCII characters, without "
                    + "spaces or braces");
        }
        if (timeout.toMillis() < 10) {
            throw new IllegalArgumentException("timeout must be at least 10 ms");
        }
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("waitReplicas must not be negative");
        }
    }

    /** What a WAIT may take on the server: half the command timeout, so its answer still arrives within it. */
    Duration waitTimeout() {
        return timeout.dividedBy(2);
    }

    public String describe() {
        return location.describe() + ", prefix '" + keyPrefix + "', timeout " + timeout.toMillis() + " ms"
                + (waitReplicas > 0 ? ", each change confirmed by " + waitReplicas + " replica(s)" : "");
    }
}
