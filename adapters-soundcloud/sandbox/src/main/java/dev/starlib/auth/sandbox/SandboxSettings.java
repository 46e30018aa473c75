package dev.starlib.auth.sandbox;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * How the sandbox SoundCloud is registered: the one client it knows, that client's single registered redirect URI,
 * the lifetime of the access tokens it issues ({@code expires_in}; SoundCloud's is about an hour, a test may want
 * seconds), and whether {@code /authorize} approves at once instead of showing the consent page.
 */
public record SandboxSettings(String clientId, String clientSecret, URI registeredRedirectUri,
                              Duration accessTokenLifetime, boolean autoApprove) {

    /** About what SoundCloud grants. */
    public static final Duration SOUNDCLOUD_ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final String DEFAULT_CLIENT_ID = "starlib-sandbox";

    public SandboxSettings {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(registeredRedirectUri, "registeredRedirectUri");
        Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
        if (clientId.isBlank() || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("the sandbox needs a client id and a client secret");
        }
        if (!registeredRedirectUri.isAbsolute() || registeredRedirectUri.getHost() == null
                || registeredRedirectUri.getRawFragment() != null) {
            throw new IllegalArgumentException("the registered redirect URI must be absolute, with a host and no fragment");
        }
        if (accessTokenLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("the access token lifetime must be at least one second");
        }
    }

    /** Settings for a local run: client id {@value #DEFAULT_CLIENT_ID}, a fresh random secret, SoundCloud's lifetime. */
    public static SandboxSettings forLocalRun(URI registeredRedirectUri, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new SandboxSettings(DEFAULT_CLIENT_ID, Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                registeredRedirectUri, SOUNDCLOUD_ACCESS_TOKEN_LIFETIME, false);
    }

    @Override
    public String toString() {
        return "SandboxSettings[clientId=" + clientId + ", clientSecret=redacted, registeredRedirectUri="
                + registeredRedirectUri + ", accessTokenLifetime=" + accessTokenLifetime
                + ", autoApprove=" + autoApprove + "]";
    }
}
