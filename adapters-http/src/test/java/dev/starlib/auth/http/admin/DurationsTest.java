package dev.starlib.auth.http.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"0, 0s", "45, 45s", "65, 1m 05s", "599, 9m 59s", "3720, 1h 02m", "-5, 0s"})
    void durationsReadAtAGlance(long seconds, String shown) {
        assertThat(Durations.brief(Duration.ofSeconds(seconds))).isEqualTo(shown);
    }
}
