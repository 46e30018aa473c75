package dev.starlib.auth.domain;

import dev.starlib.auth.domain.RenewalFailure.Cause;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How long each kind of failure holds the next attempt off. */
class RenewalFailureTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void outagesAndTimeoutsHoldOffBriefly() {
        assertThat(RenewalFailure.of(Cause.UPSTREAM_UNAVAILABLE, T0).retryAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(RenewalFailure.of(Cause.UPSTREAM_TIMEOUT, T0).retryAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void refusalsHoldOffForAMinute() {
        assertThat(RenewalFailure.of(Cause.INVALID_CLIENT, T0).retryAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(RenewalFailure.of(Cause.REFUSED, T0).retryAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aRateLimitHoldsOffUntilTheResetTimeSoundCloudGave() {
        Instant reset = T0.plus(Duration.ofMinutes(37));

        assertThat(RenewalFailure.rateLimited(T0, Optional.of(reset)).retryAt()).isEqualTo(reset);
    }

    @Test
    void aRateLimitWithoutAUsableResetTimeHoldsOffForFiveMinutes() {
        assertThat(RenewalFailure.rateLimited(T0, Optional.empty()).retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(RenewalFailure.rateLimited(T0, Optional.of(T0.minusSeconds(1))).retryAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aResetTimeBeyondSoundCloudsLongestWindowIsCutToTwelveHours() {
        assertThat(RenewalFailure.rateLimited(T0, Optional.of(T0.plus(Duration.ofDays(3)))).retryAt())
                .isEqualTo(T0.plus(Duration.ofHours(12)));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        RenewalFailure failure = RenewalFailure.of(Cause.UPSTREAM_UNAVAILABLE, T0);

        assertThat(failure.retryAfterSeconds(T0)).isEqualTo(10);
        assertThat(failure.retryAfterSeconds(T0.plusMillis(100))).isEqualTo(10);
        assertThat(failure.retryAfterSeconds(T0.plusMillis(9_001))).isEqualTo(1);
        assertThat(failure.retryAfterSeconds(T0.plusSeconds(30))).isEqualTo(1);
        assertThat(failure.holdsOffAt(T0.plusMillis(9_999))).isTrue();
        assertThat(failure.holdsOffAt(T0.plusSeconds(10))).isFalse();
    }

    @Test
    void fingerprintsTellCredentialsApartAndNeverShowThem() {
        CredentialsFingerprint fingerprint = CredentialsFingerprint.of("client-id", "the-secret");

        assertThat(fingerprint).isEqualTo(CredentialsFingerprint.of("client-id", "the-secret"));
        assertThat(fingerprint).isNotEqualTo(CredentialsFingerprint.of("client-id", "another-secret"));
        assertThat(fingerprint).isNotEqualTo(CredentialsFingerprint.of("client-idthe", "-secret"));
        assertThat(fingerprint.toString()).doesNotContain("the-secret").doesNotContain(fingerprint.hex());
    }
}
