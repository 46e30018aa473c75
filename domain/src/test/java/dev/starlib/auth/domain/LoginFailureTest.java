package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoginFailureTest {

    private static final LoginFailure SLOW_DOWN = new LoginFailure(LoginFailure.Reason.UPSTREAM_UNAVAILABLE,
            "Try again later.", Optional.of(Duration.ofSeconds(30)));

    @Test
    void theWaitShrinksAsTimePassesAndIsGoneOnceOver() {
        assertThat(SLOW_DOWN.aged(Duration.ofSeconds(10)).retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(SLOW_DOWN.aged(Duration.ofSeconds(30)).retryAfter()).isEmpty();
        assertThat(SLOW_DOWN.aged(Duration.ofSeconds(10)).reason()).isEqualTo(SLOW_DOWN.reason());
    }

    @Test
    void aWaitOfNothingIsNoWait() {
        assertThat(new LoginFailure(LoginFailure.Reason.UPSTREAM_UNAVAILABLE, "x", Optional.of(Duration.ZERO))
                .retryAfter()).isEmpty();
        assertThat(new LoginFailure(LoginFailure.Reason.INVALID_GRANT, "x").retryAfter()).isEmpty();
    }
}
