package dev.starlib.auth.sandbox;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * How the sandbox SoundCloud is registered: the one client it knows, that client's single registered redirect URI,
 * the lifetime of the access tokens it issues ({@code expires_in}; SoundCloud's is about an hour, a test may want
 * seconds), and whether {@code /authorize} approves at once instead of showing the consent page.
 * <p>
 * {@code onwardOrigins} ({@code scheme://host[:port]}) are where the client may send the browser on after the
 * redirect URI (Starlib's allowed return origins). Chromium enforces the consent form's CSP {@code form-action}
 * along the whole redirect chain that follows Approve: the sandbox, the redirect URI, then the app's page on its
 * own origin. Each origin on that chain must be allowed, or the last hop is blocked.
 */
public record SandboxSettings(String clientId, String clientSecret, URI registeredRedirectUri,
                              Duration accessTokenLifetime, boolean autoApprove, List<String> onwardOrigins) {

    /** About what SoundCloud grants. */
    public static final Duration SOUNDCLOUD_ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final String DEFAULT_CLIENT_ID = "starlib-sandbox";

    public SandboxSettings {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(registeredRedirectUri, "registeredRedirectUri");
        Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
        onwardOrigins = List.copyOf(onwardOrigins);
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

    /** Without onward origins: the browser's journey ends at the redirect URI. */
    public SandboxSettings(String clientId, String clientSecret, URI registeredRedirectUri,
                           Duration accessTokenLifetime, boolean autoApprove) {
        this(clientId, clientSecret, registeredRedirectUri, accessTokenLifetime, autoApprove, List.of());
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
                + ", autoApprove=" + autoApprove + ", onwardOrigins=" + onwardOrigins + "]";
    }
}
