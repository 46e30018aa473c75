package dev.starlib.auth.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringGrantsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

    private static IssuedToken token(Duration lifetime) {
        return new IssuedToken("client", 1001, NOW.plus(lifetime), "session-1");
    }

    @Test
    void aGrantCanBeTakenOnlyOnce() {
        var grants = new ExpiringGrants<IssuedToken>(10);
        grants.put("secret", token(Duration.ofMinutes(1)), NOW);

        assertThat(grants.take("secret", NOW)).isPresent();
        assertThat(grants.take("secret", NOW)).isEmpty();
    }

    @Test
    void findLeavesTheGrantInPlace() {
        var grants = new ExpiringGrants<IssuedToken>(10);
        grants.put("secret", token(Duration.ofMinutes(1)), NOW);

        assertThat(grants.find("secret", NOW)).isPresent();
        assertThat(grants.find("secret", NOW)).isPresent();
    }

    @Test
    void anExpiredGrantIsNeverReturned() {
        var grants = new ExpiringGrants<IssuedToken>(10);
        grants.put("secret", token(Duration.ofSeconds(60)), NOW);

        assertThat(grants.find("secret", NOW.plusSeconds(60))).isEmpty();
        assertThat(grants.take("secret", NOW.plusSeconds(60))).isEmpty();
    }

    @Test
    void aFullMapMakesRoomByDroppingTheOldest() {
        var grants = new ExpiringGrants<IssuedToken>(3);
        for (String secret : List.of("a", "b", "c", "d")) {
            grants.put(secret, token(Duration.ofMinutes(1)), NOW);
        }

        assertThat(grants.size()).isEqualTo(3);
        assertThat(grants.find("a", NOW)).isEmpty();
        assertThat(grants.find("d", NOW)).isPresent();
    }

    @Test
    void expiredGrantsAreSweptWhenNewOnesArrive() {
        var grants = new ExpiringGrants<IssuedToken>(100);
        for (int i = 0; i < 50; i++) {
            grants.put("old-" + i, token(Duration.ofSeconds(1)), NOW);
        }

        grants.put("new", token(Duration.ofMinutes(1)), NOW.plusSeconds(2));

        assertThat(grants.size()).isEqualTo(1);
    }

    @Test
    void concurrentTakesOfOneGrantHaveExactlyOneWinner() throws Exception {
        var grants = new ExpiringGrants<IssuedToken>(10);
        grants.put("contested", token(Duration.ofMinutes(1)), NOW);
        List<Callable<Boolean>> takers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            takers.add(() -> grants.take("contested", NOW).isPresent());
        }

        int winners = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> result : pool.invokeAll(takers)) {
                winners += result.get() ? 1 : 0;
            }
        }

        assertThat(winners).isEqualTo(1);
    }
}
