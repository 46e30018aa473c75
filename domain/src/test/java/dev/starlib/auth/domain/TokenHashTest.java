package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenHashTest {

    @Test
    void isTheSha256OfTheTokenInLowercaseHex() {
        // echo -n abc | sha256sum
        assertThat(new RefreshToken("abc").hash().hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(new AccessToken("abc").hash()).isEqualTo(new RefreshToken("abc").hash());
        assertThat(new RefreshToken("abc").hash().bytes()).hasSize(32);
    }

    @Test
    void refusesAnythingButSixtyFourLowercaseHexDigits() {
        assertThatThrownBy(() -> new TokenHash("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenHash("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
