package dev.starlib.auth.store.redis;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guesses a compare-and-set may start from: only ever the value last put under the very same key. */
class KnownValuesTest {

    @Test
    void aKeyGivesBackWhatWasLastPutUnderItAndNothingAfterItIsForgotten() {
        KnownValues known = new KnownValues(16);
        known.put(bytes("session:a"), bytes("one"));
        known.put(bytes("session:a"), bytes("two"));

        assertThat(known.get(bytes("session:a"))).isEqualTo(bytes("two"));
        assertThat(known.get(bytes("session:b"))).isNull();
        known.put(bytes("session:a"), null);
        assertThat(known.get(bytes("session:a"))).isNull();
    }

    @Test
    void keysSharingASlotNeverGiveBackEachOthersValue() {
        KnownValues known = new KnownValues(1);
        known.put(bytes("session:a"), bytes("a's"));
        known.put(bytes("session:b"), bytes("b's"));

        assertThat(known.get(bytes("session:a"))).as("evicted by b").isNull();
        assertThat(known.get(bytes("session:b"))).isEqualTo(bytes("b's"));
        known.put(bytes("session:a"), null);
        assertThat(known.get(bytes("session:b"))).as("forgetting a leaves b").isEqualTo(bytes("b's"));
    }

    @Test
    void theSlotsArePowersOfTwo() {
        assertThatThrownBy(() -> new KnownValues(12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KnownValues(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(US_ASCII);
    }
}
