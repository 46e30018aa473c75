package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.store.SessionStoreContract;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole store contract against a real {@code redis-server}, one per class. Every {@code reopen} is another
 * instance of the service: a new connection to the same Redis, under the same prefix and key, with the old one
 * left open. The contract's times start at this minute, since Redis expires keys by its own clock.
 */
class RedisSessionStoreTest extends SessionStoreContract<RedisSessionStore> {

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();

    private final StoreKey key = TestRedis.newKey();
    private final Map<RedisSessionStore, Opened> opened = new IdentityHashMap<>();
    private final List<RedisSessionStore> toClose = new ArrayList<>();

    private record Opened(String prefix, int capacity) {
    }

    @AfterEach
    void closeStores() {
        toClose.forEach(RedisSessionStore::close);
    }

    @Override
    protected Instant clockBase() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    protected RedisSessionStore newStore(int capacity) {
        return open(new Opened(TestRedis.freshPrefix("contract"), capacity));
    }

    @Override
    protected RedisSessionStore reopen(RedisSessionStore current) {
        return open(opened.get(current));
    }

    @Override
    protected int purgeExpired(RedisSessionStore store, Instant now) {
        return store.purgeExpired(now);
    }

    private RedisSessionStore open(Opened how) {
        RedisSessionStore store = TestRedis.open(TestRedis.settings(REDIS.server(), how.prefix()), key, how.capacity(),
                AuthEvents.NONE);
        opened.put(store, how);
        toClose.add(store);
        return store;
    }
}
