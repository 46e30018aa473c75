package dev.starlib.auth.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemorySessionStoreTest extends SessionStoreContract<MemorySessionStore> {

    @Override
    protected MemorySessionStore newStore(int capacity) {
        return new MemorySessionStore(capacity);
    }

    @Override
    protected int purgeExpired(MemorySessionStore store, Instant now) {
        return store.purgeExpired(now);
    }

    @Test
    void storeWithoutRoomForASingleLoginIsRefused() {
        assertThatThrownBy(() -> new MemorySessionStore(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
