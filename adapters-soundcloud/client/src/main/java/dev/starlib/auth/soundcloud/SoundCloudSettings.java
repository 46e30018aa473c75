package dev.starlib.auth.soundcloud;

import dev.starlib.auth.domain.CredentialsFingerprint;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach SoundCloud and who we are to it.
 *
 * @param authBaseUrl  where {@code /oauth/token} lives, e.g. {@code https://secure.soundcloud.com}
 * @param apiBaseUrl   where {@code /me} lives, e.g. {@code https://api.soundcloud.com}
 * @param clientId     the app's client id
 * @param clientSecret the app's client secret
 * @param redirectUri  the redirect_uri registered with SoundCloud, the same one the authorize URL carries
 * @param timeout      the most one call to SoundCloud may take, from connecting to the last byte of the answer
 * @param refreshTimeout the most a refresh may take: longer than {@code timeout}, so that an answer that comes
 *                       after the client was told "timed out" can still be remembered for its retry (decision 0008)
 * @param keepAlive    how long an idle connection to SoundCloud may be lent again: below SoundCloud's own idle
 *                     timeout, so that it has not closed it; zero: a fresh connection per call (decision 0003)
 */
public record SoundCloudSettings(URI authBaseUrl, URI apiBaseUrl, String clientId, ClientSecret clientSecret,
                                 URI redirectUri, Duration timeout, Duration refreshTimeout, Duration keepAlive) {

    /** How many times {@code timeout} a refresh may run on after its client stopped waiting. */
    public static final int LATE_REFRESH_FACTOR = 3;

    /**
     * Below every idle timeout a server in front of SoundCloud is likely to have (nginx 75 s, AWS load balancers
     * 60 s, Node 5 s): reuse that is never a guess about when the other side gives up.
     */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(4);

    /** More would keep sockets SoundCloud has long closed; a pooled connection is for a busy minute, not an hour. */
    public static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(300);

    // Plain http would put the client secret and tokens on the wire; it is allowed only for local fakes.
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    public SoundCloudSettings {
        requireBaseUrl(authBaseUrl, "authBaseUrl");
        requireBaseUrl(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(clientSecret, "clientSecret");
        requireRedirectUri(redirectUri);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        Objects.requireNonNull(refreshTimeout, "refreshTimeout");
        if (refreshTimeout.compareTo(timeout) < 0) {
            throw new IllegalArgumentException("refreshTimeout must be at least timeout");
        }
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative() || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw new IllegalArgumentException("keepAlive must be between 0 and " + MAX_KEEP_ALIVE.toSeconds() + " s");
        }
    }

    /** Connections kept for {@link #DEFAULT_KEEP_ALIVE}. */
    public SoundCloudSettings(URI authBaseUrl, URI apiBaseUrl, String clientId, ClientSecret clientSecret,
                              URI redirectUri, Duration timeout, Duration refreshTimeout) {
        this(authBaseUrl, apiBaseUrl, clientId, clientSecret, redirectUri, timeout, refreshTimeout, DEFAULT_KEEP_ALIVE);
    }

    /** A refresh may run on for {@link #LATE_REFRESH_FACTOR} times {@code timeout}. */
    public SoundCloudSettings(URI authBaseUrl, URI apiBaseUrl, String clientId, ClientSecret clientSecret,
                              URI redirectUri, Duration timeout) {
        this(authBaseUrl, apiBaseUrl, clientId, clientSecret, redirectUri, timeout,
                timeout == null ? null : timeout.multipliedBy(LATE_REFRESH_FACTOR));
    }

    /** The same, with idle connections lent again for at most {@code keepAlive} (zero: never). */
    public SoundCloudSettings withKeepAlive(Duration keepAlive) {
        return new SoundCloudSettings(authBaseUrl, apiBaseUrl, clientId, clientSecret, redirectUri, timeout,
                refreshTimeout, keepAlive);
    }

    /** Which credentials these are, without them: what the app token is kept under. */
    public CredentialsFingerprint credentialsFingerprint() {
        return CredentialsFingerprint.of(clientId, clientSecret.value());
    }

    URI tokenEndpoint() {
        return resolve(authBaseUrl, "/oauth/token");
    }

    URI meEndpoint() {
        return resolve(apiBaseUrl, "/me");
    }

    /** SoundCloud's OpenAPI document lists it on the API host: "invalidates session associated with current token". */
    URI signOutEndpoint() {
        return resolve(apiBaseUrl, "/sign-out");
    }

    private static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }

    private static void requireBaseUrl(URI url, String name) {
        Objects.requireNonNull(url, name);
        requireHttpUrl(url, name);
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or a fragment");
        }
        boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
        if (!https && !LOOPBACK_HOSTS.contains(url.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " must use https (plain http only for localhost)");
        }
    }

    private static void requireRedirectUri(URI uri) {
        Objects.requireNonNull(uri, "redirectUri");
        requireHttpUrl(uri, "redirectUri");
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("redirectUri must not have a fragment (RFC 6749 §3.1.2)");
        }
    }

    private static void requireHttpUrl(URI url, String name) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null
                || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + " must not contain user information");
        }
    }

    @Override
    public String toString() {
        return "SoundCloudSettings[authBaseUrl=" + authBaseUrl + ", apiBaseUrl=" + apiBaseUrl + ", clientId=" + clientId
                + ", redirectUri=" + redirectUri + ", timeout=" + timeout + ", refreshTimeout=" + refreshTimeout + ", keepAlive=" + keepAlive + "]";
    }
}
