package dev.starlib.auth.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottleTest {

    @Test
    void endpointsAreLimitedByTheirNameWhetherOrNotTheyAreRouted() {
        assertThat(Throttle.endpointName("/auth/soundcloud/authorize")).isEqualTo("authorize");
        assertThat(Throttle.endpointName("/auth/soundcloud/sign-out")).isEqualTo("sign-out");
        assertThat(Throttle.endpointName("/auth/soundcloud")).isEmpty();
        assertThat(Throttle.endpointName("/auth/soundcloud/authorize/extra")).isEmpty();
        assertThat(Throttle.endpointName("/openapi")).isEmpty();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertThat(Throttle.wholeSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Throttle.wholeSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(Throttle.wholeSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(Throttle.wholeSeconds(Duration.ofSeconds(600))).isEqualTo(600);
    }
}
