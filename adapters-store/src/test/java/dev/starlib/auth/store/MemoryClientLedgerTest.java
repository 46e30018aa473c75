package dev.starlib.auth.store;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.domain.TokenBucket.Admission;
import dev.starlib.auth.domain.TokenBucket.Budget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;

class MemoryClientLedgerTest {

    private static final Budget THREE_PER_MINUTE = new Budget(3, Duration.ofMinutes(1));

    private final MemoryClientLedger ledger = new MemoryClientLedger(1_000);

    @Test
    void eachClientSpendsItsOwnBudgetPerScope() {
        ClientKey flood = Logins.client("203.0.113.7");
        for (int i = 0; i < 3; i++) {
            assertThat(take("authorize", flood, T0)).isEqualTo(new Admission.Admitted());
        }

        assertThat(take("authorize", flood, T0)).isInstanceOf(Admission.Refused.class);
        assertThat(take("result", flood, T0)).isEqualTo(new Admission.Admitted());
        assertThat(take("authorize", Logins.client("198.51.100.4"), T0)).isEqualTo(new Admission.Admitted());
    }

    @Test
    void aFullBucketIsForgottenSoIdleClientsCostNothing() {
        ClientKey client = Logins.client("192.0.2.1");
        take("authorize", client, T0);
        assertThat(ledger.size()).isEqualTo(1);

        assertThat(ledger.purgeExpired(T0.plusSeconds(19))).isZero();
        assertThat(ledger.purgeExpired(T0.plusSeconds(20))).isEqualTo(1);
        assertThat(ledger.size()).isZero();
    }

    @Test
    void rotatingAddressesNeverGrowsTheTableBeyondItsCapacity() {
        MemoryClientLedger small = new MemoryClientLedger(500);
        ClientKey.Hasher hasher = new ClientKey.Hasher(new byte[32]);
        for (int i = 0; i < 50_000; i++) {
            ClientKey rotating = hasher.keyOf("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            small.update("authorize", rotating, TokenBucket.take(THREE_PER_MINUTE), T0.plusMillis(i));
            assertThat(small.size()).isLessThanOrEqualTo(500);
        }
        assertThat(small.evictedForRoom()).isEqualTo(50_000 - 500);
    }

    @Test
    void aClientThatKeepsCallingKeepsItsTallyWhileRotatingAddressesEvictTheColdest() {
        MemoryClientLedger small = new MemoryClientLedger(10);
        ClientKey flood = Logins.client("203.0.113.7");
        ClientKey.Hasher hasher = new ClientKey.Hasher(new byte[32]);
        for (int i = 0; i < 3; i++) {
            small.update("authorize", flood, TokenBucket.take(THREE_PER_MINUTE), T0);
        }
        for (int i = 0; i < 100; i++) {
            small.update("authorize", hasher.keyOf("10.0.0." + i), TokenBucket.take(THREE_PER_MINUTE), T0);
            assertThat(small.update("authorize", flood, TokenBucket.take(THREE_PER_MINUTE), T0))
                    .isInstanceOf(Admission.Refused.class);
        }
    }

    private Admission take(String scope, ClientKey client, Instant now) {
        return ledger.update(scope, client, TokenBucket.take(THREE_PER_MINUTE), now);
    }
}
