package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.store.FileSessionStore;
import dev.starlib.auth.store.MemorySessionStore;
import dev.starlib.auth.store.redis.RedisSessionStore;

import java.time.Instant;
import java.util.function.ToIntFunction;

/**
 * The session store the settings chose, seen through its ports (the refresh-token rotation ledger and the app
 * token's vault live in the same store), with what only the wiring does to it: the periodic purge and the close at
 * shutdown.
 */
record SessionStorage(SessionStore store, SessionInventory inventory, RotationLedger ledger, AppTokenVault appTokens,
                      ToIntFunction<Instant> purge, Runnable closer) implements AutoCloseable {

    static SessionStorage of(MemorySessionStore memory) {
        return new SessionStorage(memory, memory, memory, memory, memory::purgeExpired, () -> { });
    }

    static SessionStorage of(FileSessionStore file) {
        return new SessionStorage(file, file, file, file, file::purgeExpired, file::close);
    }

    /**
     * Sessions, the rotation ledger and the app token all in Redis, shared by every instance: one refresh call per
     * token and one app token grant however many instances there are. Every instance purges by the shared
     * indexes; Redis's own expiry catches up if none runs.
     */
    static SessionStorage of(RedisSessionStore redis) {
        return new SessionStorage(redis, redis, redis, redis, redis::purgeExpired, redis::close);
    }

    int purgeExpired(Instant now) {
        return purge.applyAsInt(now);
    }

    @Override
    public void close() {
        closer.run();
    }
}
