package dev.starlib.auth.sandbox;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxSettingsTest {

    private static final URI REDIRECT = URI.create("http://127.0.0.1:8000/auth/soundcloud/redirect");

    @Test
    void theSecretNeverAppearsInToString() {
        var settings = new SandboxSettings("id", "very-secret-value", REDIRECT, Duration.ofHours(1), false);

        assertThat(settings.toString()).doesNotContain("very-secret-value").contains("redacted");
    }

    @Test
    void aLocalRunGetsAFreshSecretAndSoundCloudsLifetime() {
        var random = new SecureRandom();
        var first = SandboxSettings.forLocalRun(REDIRECT, random);
        var second = SandboxSettings.forLocalRun(REDIRECT, random);

        assertThat(first.clientId()).isEqualTo(SandboxSettings.DEFAULT_CLIENT_ID);
        assertThat(first.clientSecret()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(second.clientSecret());
        assertThat(first.accessTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(first.autoApprove()).isFalse();
    }

    @Test
    void aRelativeOrFragmentedRedirectUriIsRefused() {
        assertThatThrownBy(() -> new SandboxSettings("id", "s", URI.create("/cb"), Duration.ofHours(1), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxSettings("id", "s", URI.create("http://x/cb#f"), Duration.ofHours(1), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLifetimeUnderOneSecondIsRefused() {
        assertThatThrownBy(() -> new SandboxSettings("id", "s", REDIRECT, Duration.ofMillis(500), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
