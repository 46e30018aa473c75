package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.store.StoreKey;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/** Opening Redis stores on a test's Redis: each with a prefix of its own, so tests need not flush Redis. */
final class TestRedis {

    static final Duration TIMEOUT = Duration.ofMillis(1_000);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private TestRedis() {
    }

    static StoreKey newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return StoreKey.fromBase64(Base64.getEncoder().encodeToString(key));
    }

    static String freshPrefix(String name) {
        return "test-" + name + "-" + PREFIXES.incrementAndGet() + ":";
    }

    static RedisSettings settings(RedisServer redis, String prefix) {
        return new RedisSettings(RedisLocation.parse(redis.url()), prefix, TIMEOUT, 0);
    }

    static RedisSessionStore open(RedisSettings settings, StoreKey key, int capacity, AuthEvents events) {
        return RedisSessionStore.open(settings, key, capacity, Clock.systemUTC(), events);
    }

    /** With leases that live {@code leaseTtl} in Redis between renewals. */
    static RedisSessionStore open(RedisSettings settings, StoreKey key, int capacity, AuthEvents events,
                                  Duration leaseTtl) {
        return RedisSessionStore.open(settings, key, capacity, Clock.systemUTC(), events, leaseTtl);
    }
}
