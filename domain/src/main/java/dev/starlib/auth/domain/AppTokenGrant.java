package dev.starlib.auth.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What SoundCloud's token endpoint grants the app itself (client credentials, or a refresh of such a token): an
 * access token, a refresh token when SoundCloud sends one, and how long the access token lives from the request.
 */
public record AppTokenGrant(AccessToken accessToken, Optional<RefreshToken> refreshToken, Duration expiresIn) {

    public AppTokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("expiresIn must be positive");
        }
    }

    @Override
    public String toString() {
        return "AppTokenGrant[expiresIn=" + expiresIn.toSeconds() + "s, refreshable=" + refreshToken.isPresent() + "]";
    }
}
