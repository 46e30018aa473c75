package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStoreWiringTest {

    private static final String SHORT_KEY = "dG9vLXNob3J0LWEtc2VjcmV0"; // base64 of 18 bytes
    private static final String GOOD_KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="; // base64 of 32 bytes

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
        assertThatThrownBy(() -> settings(Map.of("SESSION_STORE_KEY", SHORT_KEY)))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("SESSION_STORE_KEY ")
                .hasMessageContaining("not 32")
                .hasMessageNotContaining(SHORT_KEY);
    }

    @Test
    void storeKeyIsNeverPrintedWithTheSettings() {
        ServiceSettings settings = settings(Map.of("SESSION_STORE_KEY", GOOD_KEY));

        assertThat(settings.store()).isInstanceOfSatisfying(StoreSettings.File.class,
                file -> assertThat(file.key()).isPresent());
        assertThat(settings.toString()).contains("key=<set>").doesNotContain(GOOD_KEY);
    }

    @Test
    void unknownStoreNameIsRefused() {
        assertThatThrownBy(() -> settings(Map.of("SESSION_STORE", "cassandra")))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageContaining("'memory', 'file' or 'redis'");
    }

    @Test
    void startThatFailsAfterTheStoreOpenedLeavesNoLockBehind() throws Exception {
        Path store = dir.resolve("sessions");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServiceSettings adminPortInUse = settings(Map.of("SESSION_STORE_PATH", store.toString(),
                    "ADMIN_PORT", String.valueOf(taken.getLocalPort())));

            assertThatThrownBy(() -> StarlibAuth.start(adminPortInUse, Clock.systemUTC()))
                    .isInstanceOf(StarlibAuth.StartFailure.class)
                    .hasMessageStartingWith("ADMIN_PORT " + taken.getLocalPort());
        }
        assertThat(store.resolve("sessions.log")).exists();

        try (StarlibAuth again = StarlibAuth.start(settings(Map.of("SESSION_STORE_PATH", store.toString())),
                Clock.systemUTC())) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void publicPortInUseFailsTheStartByName() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServiceSettings portInUse = settings(Map.of("BACKEND_PORT", String.valueOf(taken.getLocalPort())));

            assertThatThrownBy(() -> StarlibAuth.start(portInUse, Clock.systemUTC()))
                    .isInstanceOf(StarlibAuth.StartFailure.class)
                    .hasMessageStartingWith("BACKEND_PORT " + taken.getLocalPort());
        }
    }

    private ServiceSettings settings(Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", dir.resolve("store").toString(),
                "BACKEND_PORT", "0",
                "ADMIN_PORT", "0"));
        environment.putAll(overrides);
        return SettingsLoader.load(environment, dir);
    }
}
