package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStoreWiringTest {

    private static final String SHORT_KEY = "dG9vLXNob3J0LWEtc2VjcmV0"; // base64 of 18 bytes

    @TempDir
    Path dir;

    @Test
    void fileStoreKeepsItsSessionsUnderTheConfiguredPath() {
        Path store = dir.resolve("sessions");

        try (StarlibAuth app = StarlibAuth.start(settings(Map.of("SESSION_STORE_PATH", store.toString())),
                Clock.systemUTC())) {
            assertThat(app.port()).isPositive();
        }

        assertThat(store.resolve("sessions.log")).exists();
        assertThat(store.resolve("store.key")).exists();
    }

    @Test
    void malformedStoreKeyStopsTheStartNamingTheVariableButNotTheValue() {
        ServiceSettings settings = settings(Map.of("SESSION_STORE_KEY", SHORT_KEY));

        assertThatThrownBy(() -> StarlibAuth.start(settings, Clock.systemUTC()))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("SESSION_STORE_KEY ")
                .hasMessageContaining("not 32")
                .hasMessageNotContaining(SHORT_KEY);
    }

    @Test
    void storeKeyIsNeverPrintedWithTheSettings() {
        ServiceSettings settings = settings(Map.of("SESSION_STORE_KEY", SHORT_KEY));

        assertThat(settings.sessionStoreKey()).contains(SHORT_KEY);
        assertThat(settings.toString()).contains("sessionStoreKey=<set>").doesNotContain(SHORT_KEY);
    }

    @Test
    void unknownStoreNameIsRefused() {
        assertThatThrownBy(() -> StarlibAuth.start(settings(Map.of("SESSION_STORE", "redis")), Clock.systemUTC()))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageContaining("'memory' or 'file'");
    }

    private ServiceSettings settings(Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", dir.resolve("store").toString(),
                "BACKEND_PORT", "0"));
        environment.putAll(overrides);
        return SettingsLoader.load(environment, dir);
    }
}
