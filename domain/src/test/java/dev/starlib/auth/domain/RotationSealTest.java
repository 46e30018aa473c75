package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RotationSealTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RefreshToken OLD = new RefreshToken("OLD-refresh-token-5b2e9c1d7a3f4e60b8d2c6a1f9e3b7d4");
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Tokens NEW = new Tokens(new AccessToken("NEW-access-token-91c4"),
            new RefreshToken("NEW-refresh-token-3d7e"), Duration.ofSeconds(3599));
    private static final Rotation ROTATED = new Rotation.Rotated(NEW, AT);

    @Test
    void theOldTokenOpensWhatWasSealedUnderIt() {
        SealedRotation sealed = RotationSeal.seal(OLD, ROTATED, RANDOM);

        assertThat(RotationSeal.open(new RefreshToken(OLD.value()), sealed)).contains(ROTATED);
    }

    @Test
    void anyOtherTokenOpensNothing() {
        SealedRotation sealed = RotationSeal.seal(OLD, ROTATED, RANDOM);

        assertThat(RotationSeal.open(new RefreshToken(OLD.value() + "x"), sealed)).isEmpty();
        assertThat(RotationSeal.open(NEW.refreshToken(), sealed)).isEmpty();
    }

    @Test
    void theSealedBytesCarryNoTokenInClear() {
        String bytes = new String(RotationSeal.seal(OLD, ROTATED, RANDOM).bytes(), StandardCharsets.ISO_8859_1);

        assertThat(bytes).doesNotContain(NEW.accessToken().value(), NEW.refreshToken().value(), OLD.value(),
                "NEW-", "OLD-");
    }

    @Test
    void everySealIsFreshSoTwoSealsOfOneAnswerShareNoBytes() {
        SealedRotation first = RotationSeal.seal(OLD, ROTATED, RANDOM);
        SealedRotation second = RotationSeal.seal(OLD, ROTATED, RANDOM);

        assertThat(first).isNotEqualTo(second);
        assertThat(RotationSeal.open(OLD, second)).contains(ROTATED);
    }

    @Test
    void anAlteredByteOpensNothing() {
        byte[] bytes = RotationSeal.seal(OLD, ROTATED, RANDOM).bytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            assertThat(RotationSeal.open(OLD, SealedRotation.of(altered))).as("byte %d altered", i).isEmpty();
        }
    }

    @Test
    void aFailureIsSealedWithItsWaitToo() {
        Rotation failed = new Rotation.Failed(new LoginFailure(LoginFailure.Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud asks us to slow down.", Optional.of(Duration.ofSeconds(30))));

        assertThat(RotationSeal.open(OLD, RotationSeal.seal(OLD, failed, RANDOM))).contains(failed);
    }

    @Test
    void theAnswerIsAgedFromTheMomentOfTheRotation() {
        Rotation.Rotated rotated = new Rotation.Rotated(NEW, AT);

        assertThat(rotated.tokensAt(AT.plusSeconds(40)).expiresIn()).isEqualTo(Duration.ofSeconds(3559));
        assertThat(rotated.tokensAt(AT.plusSeconds(40)).refreshToken()).isEqualTo(NEW.refreshToken());
        assertThat(rotated.tokensAt(AT.plusMillis(999)).expiresIn()).as("in whole seconds").isEqualTo(NEW.expiresIn());
    }

    @Test
    void theSealSaysOnlyHowLongItIs() {
        SealedRotation sealed = RotationSeal.seal(OLD, ROTATED, RANDOM);

        assertThat(sealed.toString()).isEqualTo("SealedRotation[" + sealed.length() + " bytes]");
    }
}
