package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.store.StoreKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of the service a contract test opens on one Redis: each a store with a connection of its own,
 * under one key; a {@link #sibling} or a {@link #reopen} is another instance on the same prefix. All closed at the
 * end.
 */
final class RedisInstances implements AutoCloseable {

    private final RedisServer redis;
    private final StoreKey key = TestRedis.newKey();
    private final Map<RedisSessionStore, Opened> opened = new IdentityHashMap<>();
    private final List<RedisSessionStore> toClose = new ArrayList<>();
    private final Duration leaseTtl;

    private record Opened(String prefix, int capacity) {
    }

    /** With the lease expiry the service would use for the test's settings. */
    RedisInstances(RedisServer redis) {
        this(redis, LeaseKeeper.defaultTtl(TestRedis.settings(redis, "unused:")));
    }

    RedisInstances(RedisServer redis, Duration leaseTtl) {
        this.redis = redis;
        this.leaseTtl = leaseTtl;
    }

    RedisSessionStore fresh(String name, int capacity) {
        return open(new Opened(TestRedis.freshPrefix(name), capacity));
    }

    /** Another instance on the same data, the first left running. */
    RedisSessionStore sibling(RedisSessionStore current) {
        return open(opened.get(current));
    }

    String prefixOf(RedisSessionStore store) {
        return opened.get(store).prefix();
    }

    private RedisSessionStore open(Opened how) {
        RedisSessionStore store = TestRedis.open(TestRedis.settings(redis, how.prefix()), key, how.capacity(),
                AuthEvents.NONE, leaseTtl);
        opened.put(store, how);
        toClose.add(store);
        return store;
    }

    @Override
    public void close() {
        toClose.forEach(RedisSessionStore::close);
        toClose.clear();
    }
}
