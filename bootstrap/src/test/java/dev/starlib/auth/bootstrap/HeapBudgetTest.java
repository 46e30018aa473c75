package dev.starlib.auth.bootstrap;

import dev.starlib.auth.store.StoreKey;
import dev.starlib.auth.store.redis.RedisLocation;
import dev.starlib.auth.store.redis.RedisSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A capacity the heap cannot hold is no bound: the operator is told, with what to set instead, at start. The
 * defaults (10,000 sessions, run.sh's 128 MB) hold.
 */
class HeapBudgetTest {

    /** {@link Runtime#maxMemory()} with run.sh's settings: the serial collector, -Xms8m -Xmx128m. */
    private static final long MAX_HEAP_OF_128M = 129_761_280L;

    @Test
    void theDefaultsFitRunShsHeap() {
        assertThat(HeapBudget.warning(new StoreSettings.Memory(10_000), MAX_HEAP_OF_128M)).isEmpty();
        assertThat(HeapBudget.warning(new StoreSettings.File(Path.of("sessions"), Optional.empty(), 10_000),
                MAX_HEAP_OF_128M)).isEmpty();
    }

    @Test
    void aCapacityTheHeapCannotHoldIsNamedWithTheHeapItNeedsAndTheCapacityThatFits() {
        Optional<String> warning = HeapBudget.warning(new StoreSettings.Memory(5_000_000), MAX_HEAP_OF_128M);

        assertThat(warning).hasValueSatisfying(text -> assertThat(text)
                .startsWith("SESSION_STORE_CAPACITY=5000000 lets the memory store keep about 9814 MB on the heap")
                .contains("this JVM may take at most 123 MB")
                .contains("Raise STARLIB_HEAP_MAX to 9814m or more (48 MB + 2 KB per session)")
                .endsWith("or lower SESSION_STORE_CAPACITY to 38784 or less"));
        long fits = 38_784;
        assertThat(HeapBudget.warning(new StoreSettings.Memory((int) fits), MAX_HEAP_OF_128M))
                .as("the capacity it proposes fits").isEmpty();
        assertThat(HeapBudget.warning(new StoreSettings.Memory((int) fits + 1), MAX_HEAP_OF_128M)).isPresent();
        assertThat(HeapBudget.warning(new StoreSettings.Memory(5_000_000), 9_814L * 1_048_576))
                .as("the heap it proposes holds it").isEmpty();
    }

    @Test
    void theFileStoreHoldsItsSessionsOnTheHeapTooAndRedisDoesNot() {
        assertThat(HeapBudget.warning(new StoreSettings.File(Path.of("sessions"), Optional.empty(), 1_000_000),
                MAX_HEAP_OF_128M)).hasValueSatisfying(text -> assertThat(text).contains("the file store"));
        StoreSettings redis = new StoreSettings.Redis(new RedisSettings(RedisLocation.parse("redis://127.0.0.1:6379"),
                "starlib:", Duration.ofSeconds(2), 0), StoreKey.fromBase64(java.util.Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32))), 10_000_000);
        assertThat(HeapBudget.warning(redis, MAX_HEAP_OF_128M)).isEmpty();
    }
}
