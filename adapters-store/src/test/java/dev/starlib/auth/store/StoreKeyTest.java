package dev.starlib.auth.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreKeyTest {

    private static final byte[] THIRTY_TWO = new byte[32];

    static {
        for (int i = 0; i < THIRTY_TWO.length; i++) {
            THIRTY_TWO[i] = (byte) (250 - i * 7);
        }
    }

    @Test
    void base64OfThirtyTwoBytesIsAKeyInEitherAlphabetWithOrWithoutPadding() {
        String standard = Base64.getEncoder().encodeToString(THIRTY_TWO);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(THIRTY_TWO);

        assertThat(StoreKey.fromBase64(standard).toBase64()).isEqualTo(standard);
        assertThat(StoreKey.fromBase64(urlSafe).toBase64()).isEqualTo(standard);
        assertThat(StoreKey.fromBase64("  " + standard + "\n").toBase64()).isEqualTo(standard);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not base64 at all!", "c2hvcnQta2V5LW9mLTE2Yg==",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"})
    void anythingElseIsRefusedWithoutRepeatingIt(String value) {
        assertThatThrownBy(() -> StoreKey.fromBase64(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl rand -base64 32")
                .satisfies(e -> {
                    if (!value.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(value.strip());
                    }
                });
    }

    @Test
    void wrongLengthIsNamed() {
        assertThatThrownBy(() -> StoreKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageStartingWith("decodes to 16 bytes, not 32");
    }

    @Test
    void keyIsNeverPrinted() {
        String encoded = Base64.getEncoder().encodeToString(THIRTY_TWO);

        assertThat(StoreKey.fromBase64(encoded).toString()).isEqualTo("StoreKey[redacted]").doesNotContain(encoded);
    }
}
