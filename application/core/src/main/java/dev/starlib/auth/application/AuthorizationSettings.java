package dev.starlib.auth.application;

import dev.starlib.auth.domain.ReturnTo;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the use cases need to know about this deployment. The client secret is not here: only the
 * SoundCloud adapter holds it.
 *
 * @param clientId            SoundCloud app client id (public: it travels in the authorization URL)
 * @param authorizeEndpoint   SoundCloud's {@code /authorize}
 * @param redirectUri         the redirect_uri registered with SoundCloud; the adapter sends the same one
 * @param defaultReturnTo     where the browser goes when {@code /authorize} names no return_to
 * @param pendingTtl          how long a started login may wait for SoundCloud
 * @param resultTtl           how long a finished login waits for pickup
 * @param pendingPerClient    most logins one client may have waiting for SoundCloud at once
 */
public record AuthorizationSettings(String clientId, URI authorizeEndpoint, URI redirectUri, ReturnTo defaultReturnTo,
                                    Duration pendingTtl, Duration resultTtl, int pendingPerClient) {

    /** No per-client quota. */
    public AuthorizationSettings(String clientId, URI authorizeEndpoint, URI redirectUri, ReturnTo defaultReturnTo,
                                 Duration pendingTtl, Duration resultTtl) {
        this(clientId, authorizeEndpoint, redirectUri, defaultReturnTo, pendingTtl, resultTtl, Integer.MAX_VALUE);
    }

    public AuthorizationSettings {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(authorizeEndpoint, "authorizeEndpoint");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(defaultReturnTo, "defaultReturnTo");
        requirePositive(pendingTtl, "pendingTtl");
        requirePositive(resultTtl, "resultTtl");
        if (pendingPerClient < 1) {
            throw new IllegalArgumentException("pendingPerClient must be at least 1");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
