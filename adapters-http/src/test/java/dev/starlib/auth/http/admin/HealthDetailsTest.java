package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.observe.CheckResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Health details in units a person reads, not raw bytes and nanosecond timestamps. */
class HealthDetailsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:08.123456789Z");

    @ParameterizedTest
    @CsvSource({"0, 0 bytes", "1023, 1023 bytes", "1024, 1.0 KB", "37434573, 35.7 MB", "6320816128, 5.9 GB"})
    void bytesInBinaryUnits(long bytes, String shown) {
        assertThat(HealthDetails.bytes(bytes)).isEqualTo(shown);
    }

    @Test
    void heapIsFreeOfMax() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("free", "35.70 MB");
        details.put("freeBytes", "37434573");
        details.put("max", "5.89 GB");
        details.put("maxBytes", "6320816128");
        details.put("percentFree", "99.41%");
        details.put("total", "384.00 MB");
        details.put("totalBytes", "402653184");

        assertThat(HealthDetails.describe(new CheckResult("heapMemory", "liveness", "UP", details), NOW))
                .isEqualTo("35.7 MB free of 5.9 GB (99.41 % free) · 384.0 MB reserved now");
    }

    @Test
    void soundCloudSaysHowLongAgoNotWhenToTheNanosecond() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("answering", "true");
        details.put("lastOutcome", "success");
        details.put("lastEndpoint", "token_exchange");
        details.put("lastLatencyMs", "120");
        details.put("lastCallAt", "2026-03-01T12:00:00.000123456Z");
        details.put("secondsAgo", "8");

        String shown = HealthDetails.describe(new CheckResult("soundcloud", "readiness", "UP", details), NOW);

        assertThat(shown).isEqualTo("answering · last call token exchange: success in 120 ms, 8s ago");
        assertThat(HealthDetails.describe(new CheckResult("soundcloud", "readiness", "UP",
                Map.of("lastCall", "none since start")), NOW)).isEqualTo("no call to SoundCloud since start");
    }

    @Test
    void theStoreSaysWhetherItTakesWrites() {
        assertThat(HealthDetails.describe(new CheckResult("sessionStore", "readiness", "UP",
                Map.of("writable", "true", "sessions", "3")), NOW)).isEqualTo("writable · 3 sessions");
        assertThat(HealthDetails.describe(new CheckResult("sessionStore", "readiness", "DOWN",
                Map.of("writable", "false", "error", "disk full")), NOW)).isEqualTo("not writable: disk full");
    }

    @Test
    void otherChecksGetReadableBytesAndAges() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("usedBytes", "2048");
        details.put("checkedAt", "2026-03-01T11:58:08Z");
        details.put("mode", "fast");

        assertThat(HealthDetails.describe(new CheckResult("diskSpace", "liveness", "UP", details), NOW))
                .isEqualTo("used: 2.0 KB · checked: 2m 00s ago · mode: fast");
    }
}
