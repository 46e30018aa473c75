package dev.starlib.auth.soundcloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoundCloudSettingsTest {

    private static final ClientSecret SECRET = new ClientSecret("the-real-client-secret");

    private static SoundCloudSettings settings(String authBaseUrl, String apiBaseUrl, String redirectUri,
                                               Duration timeout) {
        return new SoundCloudSettings(URI.create(authBaseUrl), URI.create(apiBaseUrl), "client-id", SECRET,
                URI.create(redirectUri), timeout);
    }

    private static SoundCloudSettings production() {
        return settings("https://secure.soundcloud.com", "https://api.soundcloud.com",
                "https://auth.starlib.dev/redirect", Duration.ofSeconds(10));
    }

    @Test
    void secretNeverShowsInToString() {
        assertThat(SECRET.toString()).isEqualTo("ClientSecret[redacted]");
        assertThat(production().toString())
                .doesNotContain("the-real-client-secret")
                .contains("client-id", "https://secure.soundcloud.com", "PT10S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankSecretIsRefused(String blank) {
        assertThatThrownBy(() -> new ClientSecret(blank)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSecretIsRefused() {
        assertThatThrownBy(() -> new ClientSecret(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SoundCloudSettings(URI.create("https://secure.soundcloud.com"),
                URI.create("https://api.soundcloud.com"), "client-id", null, URI.create("https://a.dev/redirect"),
                Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void endpointsHangOffTheBaseUrls() {
        assertThat(production().tokenEndpoint()).isEqualTo(URI.create("https://secure.soundcloud.com/oauth/token"));
        assertThat(production().meEndpoint()).isEqualTo(URI.create("https://api.soundcloud.com/me"));
        SoundCloudSettings withSlashes = settings("https://secure.soundcloud.com/", "https://api.soundcloud.com/v1/",
                "https://a.dev/redirect", Duration.ofSeconds(1));
        assertThat(withSlashes.tokenEndpoint()).isEqualTo(URI.create("https://secure.soundcloud.com/oauth/token"));
        assertThat(withSlashes.meEndpoint()).isEqualTo(URI.create("https://api.soundcloud.com/v1/me"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://secure.soundcloud.com", "ftp://secure.soundcloud.com", "secure.soundcloud.com",
            "/oauth", "https://user:pw@secure.soundcloud.com", "https://secure.soundcloud.com?x=1",
            "https://secure.soundcloud.com#top", "mailto:someone@soundcloud.com"})
    void unsafeOrMalformedBaseUrlIsRefused(String url) {
        assertThatThrownBy(() -> settings(url, "https://api.soundcloud.com", "https://a.dev/redirect",
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings("https://secure.soundcloud.com", url, "https://a.dev/redirect",
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8089", "http://127.0.0.1:8089", "http://[::1]:8089"})
    void plainHttpIsAllowedOnlyForALocalFake(String url) {
        assertThat(settings(url, url, "http://localhost:8080/redirect", Duration.ofSeconds(1)).authBaseUrl())
                .isEqualTo(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/redirect", "https://a.dev/redirect#fragment", "starlib://redirect"})
    void redirectUriMustBeAnAbsoluteHttpUrlWithoutFragment(String redirectUri) {
        assertThatThrownBy(() -> settings("https://secure.soundcloud.com", "https://api.soundcloud.com", redirectUri,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> settings("https://secure.soundcloud.com", "https://api.soundcloud.com",
                "https://a.dev/redirect", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings("https://secure.soundcloud.com", "https://api.soundcloud.com",
                "https://a.dev/redirect", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blankClientIdIsRefused() {
        assertThatThrownBy(() -> new SoundCloudSettings(URI.create("https://secure.soundcloud.com"),
                URI.create("https://api.soundcloud.com"), " ", SECRET, URI.create("https://a.dev/redirect"),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
