package dev.starlib.auth.store;

import java.time.Instant;

class MemoryAppTokenVaultTest extends AppTokenVaultContract<MemorySessionStore> {

    @Override
    protected MemorySessionStore newStore(int capacity) {
        return new MemorySessionStore(capacity);
    }

    @Override
    protected int purgeExpired(MemorySessionStore store, Instant now) {
        return store.purgeExpired(now);
    }
}
