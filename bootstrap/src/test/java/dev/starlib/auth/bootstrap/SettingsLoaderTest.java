package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ServiceSettings settings = SettingsLoader.load(Map.of(), dir);

        assertThat(settings.credentialsConfigured()).isFalse();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.redirectUri()).hasToString("http://127.0.0.1:8000/auth/soundcloud/redirect");
        assertThat(settings.authBaseUrl()).hasToString("https://secure.soundcloud.com");
        assertThat(settings.apiBaseUrl()).hasToString("https://api.soundcloud.com");
        assertThat(settings.upstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.allowedReturnOrigins()).containsExactly("http://localhost:3000", "http://127.0.0.1:8000",
                "https://tauri.localhost", "tauri://localhost", "starlib://localhost");
        assertThat(settings.corsAllowedOrigins()).contains("http://localhost:3000", CorsOrigins.ANY_LOCALHOST_PORT);
        assertThat(settings.defaultReturnTo()).isEqualTo("http://localhost:3000/auth/soundcloud/callback");
        assertThat(settings.pendingTtl()).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.resultTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.sessionStore()).isEqualTo("memory");
        assertThat(settings.sessionStorePath()).isEqualTo(Path.of("./data/sessions"));
        assertThat(settings.adminPort()).isEqualTo(8081);
        assertThat(settings.adminUser()).isEqualTo("admin");
        assertThat(settings.adminPassword()).isEmpty();
    }

    @Test
    void adminPasswordIsReadButNeverShown() {
        ServiceSettings settings = SettingsLoader.load(Map.of("ADMIN_USER", "ops", "ADMIN_PASSWORD", "pa55-word",
                "ADMIN_PORT", "9091"), dir);

        assertThat(settings.adminUser()).isEqualTo("ops");
        assertThat(settings.adminPassword()).contains("pa55-word");
        assertThat(settings.adminPort()).isEqualTo(9091);
        assertThat(settings.toString()).contains("adminPassword=<set>", "adminUser=ops").doesNotContain("pa55-word");
    }

    @Test
    void adminPortCannotBeThePublicPort() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("ADMIN_PORT", "8000"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("ADMIN_PORT must differ from BACKEND_PORT");
    }

    @Test
    void adminUserWithAColonIsRefused() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("ADMIN_USER", "ad:min"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("ADMIN_USER");
    }

    @Test
    void environmentOverridesDotEnvWhichOverridesDefaults() throws IOException {
        Files.writeString(dir.resolve(".env"), "CLIENT_ID=from-dotenv\nCLIENT_SECRET=dotenv-secret\nBACKEND_PORT=9001\n");

        ServiceSettings settings = SettingsLoader.load(Map.of("BACKEND_PORT", "9002"), dir);

        assertThat(settings.clientId()).contains("from-dotenv");
        assertThat(settings.clientSecret()).contains("dotenv-secret");
        assertThat(settings.port()).isEqualTo(9002);
        assertThat(settings.credentialsConfigured()).isTrue();
    }

    @Test
    void blankCredentialsCountAsMissing() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "  ", "CLIENT_SECRET", ""), dir);

        assertThat(settings.credentialsConfigured()).isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "hunter2-secret"), dir);

        assertThat(settings.toString()).contains("clientSecret=<set>").doesNotContain("hunter2-secret");
    }

    @Test
    void malformedValuesNameTheVariableNotTheValue() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("BACKEND_PORT", "eighty"), dir))
                .hasMessageContaining("BACKEND_PORT").hasMessageNotContaining("eighty");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_TIMEOUT_MS", "0"), dir))
                .hasMessageContaining("SOUNDCLOUD_TIMEOUT_MS");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_AUTH_BASE_URL", "not a url"), dir))
                .hasMessageContaining("SOUNDCLOUD_AUTH_BASE_URL");
    }

    @Test
    void valuesAreTakenVerbatimWithoutInterpolation() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "a${b}c"), dir);

        assertThat(settings.clientSecret()).contains("a${b}c");
    }
}
