package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore(int capacity, Duration resultTtl) {
        return new MemorySessionStore(capacity, resultTtl);
    }

    @Test
    void storeWithoutRoomForASingleLoginIsRefused() {
        assertThatThrownBy(() -> new MemorySessionStore(0, RESULT_TTL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultTtlThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new MemorySessionStore(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemorySessionStore(10, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
