package dev.starlib.auth.store.redis;

import dev.starlib.auth.store.AppTokenVaultContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The app token vault contract against a real {@code redis-server}: a reopen or a sibling is another instance on
 * the same Redis, so "one renewal at a time, one SoundCloud call" is checked across instances.
 */
class RedisAppTokenVaultTest extends AppTokenVaultContract<RedisSessionStore> {

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private RedisInstances instances;

    @AfterEach
    void closeInstances() {
        instances().close();
    }

    @Override
    protected Instant clockBase() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    protected RedisSessionStore newStore(int capacity) {
        return instances().fresh("vault", capacity);
    }

    @Override
    protected RedisSessionStore reopen(RedisSessionStore current) {
        return instances().sibling(current);
    }

    @Override
    protected RedisSessionStore sibling(RedisSessionStore current) {
        return instances().sibling(current);
    }

    @Override
    protected int purgeExpired(RedisSessionStore store, Instant now) {
        return store.purgeExpired(now);
    }

    private RedisInstances instances() {
        if (instances == null) {
            instances = new RedisInstances(REDIS.server());
        }
        return instances;
    }
}
