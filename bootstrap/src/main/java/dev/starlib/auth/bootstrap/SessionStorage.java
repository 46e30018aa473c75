package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.store.FileSessionStore;
import dev.starlib.auth.store.MemorySessionStore;
import dev.starlib.auth.store.StoreKey;
import dev.starlib.auth.store.redis.RedisSessionStore;

import java.time.Instant;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The session store the settings chose, seen through its ports (the refresh-token rotation ledger and the app
 * token's vault live in the same store), with what only the wiring does to it: the periodic purge and the close at
 * shutdown. A store that several instances share also holds the per-client tallies ({@code sharedTallies}), and
 * gives the secret that keys clients alike on every instance ({@code clientKeySecret}), unless
 * {@code CLIENT_HASH_KEY} is set.
 */
record SessionStorage(SessionStore store, SessionInventory inventory, RotationLedger ledger, AppTokenVault appTokens,
                      Optional<ClientLedger> sharedTallies, Optional<byte[]> clientKeySecret,
                      ToIntFunction<Instant> purge, Runnable closer) implements AutoCloseable {

    static SessionStorage of(MemorySessionStore memory) {
        return new SessionStorage(memory, memory, memory, memory, Optional.empty(), Optional.empty(),
                memory::purgeExpired, () -> { });
    }

    static SessionStorage of(FileSessionStore file) {
        return new SessionStorage(file, file, file, file, Optional.empty(), Optional.empty(), file::purgeExpired,
                file::close);
    }

    /**
     * Sessions, the rotation ledger and the app token all in Redis, shared by every instance: one refresh call per
     * token and one app token grant however many instances there are. Every instance purges by the shared
     * indexes; Redis's own expiry catches up if none runs. The per-client quota and rate limits count across
     * instances too, with client keys derived from SESSION_STORE_KEY (the same on every instance).
     */
    static SessionStorage of(RedisSessionStore redis, StoreKey key) {
        return new SessionStorage(redis, redis, redis, redis, Optional.of(redis.clientTallies()),
                Optional.of(key.derive(CLIENT_KEYS)), redis::purgeExpired, redis::close);
    }

    /** What the secret of client keys is derived for, from SESSION_STORE_KEY. */
    static final String CLIENT_KEYS = "client keys";

    int purgeExpired(Instant now) {
        return purge.applyAsInt(now);
    }

    @Override
    public void close() {
        closer.run();
    }
}
