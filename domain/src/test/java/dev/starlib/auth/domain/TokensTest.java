package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokensTest {

    private static Tokens expiringIn(Duration expiresIn) {
        return new Tokens(new AccessToken("access"), new RefreshToken("refresh"), expiresIn);
    }

    @Test
    void agedTokensReportTheLifetimeLeft() {
        assertThat(expiringIn(Duration.ofSeconds(3600)).aged(Duration.ofSeconds(100)).expiresIn())
                .isEqualTo(Duration.ofSeconds(3500));
    }

    @ParameterizedTest
    @ValueSource(longs = {3600, 3601, 86_400, Long.MAX_VALUE / 2})
    void agedTokensNeverGoNegative(long elapsedSeconds) {
        assertThat(expiringIn(Duration.ofSeconds(3600)).aged(Duration.ofSeconds(elapsedSeconds)).expiresIn())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void negativeElapsedTimeDoesNotExtendTheLifetime() {
        assertThat(expiringIn(Duration.ofSeconds(3600)).aged(Duration.ofSeconds(-50)).expiresIn())
                .isEqualTo(Duration.ofSeconds(3600));
    }

    @Test
    void agingKeepsBothTokens() {
        Tokens aged = expiringIn(Duration.ofSeconds(3600)).aged(Duration.ofSeconds(10));
        assertThat(aged.accessToken().value()).isEqualTo("access");
        assertThat(aged.refreshToken().value()).isEqualTo("refresh");
    }

    @Test
    void negativeLifetimeIsRefused() {
        assertThatThrownBy(() -> expiringIn(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedTokensAreRefused() {
        assertThat(RefreshToken.parse("")).isEmpty();
        assertThat(RefreshToken.parse(null)).isEmpty();
        assertThat(RefreshToken.parse("has space")).isEmpty();
        assertThat(RefreshToken.parse("x".repeat(4097))).isEmpty();
        assertThat(RefreshToken.parse("x".repeat(4096))).isPresent();
        assertThatThrownBy(() -> new AccessToken("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
    }
}
