package dev.starlib.auth.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * What SoundCloud grants: an access token, the refresh token that replaces the one used (refresh tokens
 * are single-use), and how long the access token lives from the moment it was issued.
 */
public record Tokens(AccessToken accessToken, RefreshToken refreshToken, Duration expiresIn) {

    public Tokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative()) {
            throw new IllegalArgumentException("expiresIn must not be negative");
        }
    }

    /**
     * The same grant as seen {@code elapsed} after it was issued: a result that waited for pickup reports
     * the lifetime left, so the client's {@code now + expires_in} is still the true expiry.
     */
    public Tokens aged(Duration elapsed) {
        Duration left = expiresIn.minus(elapsed.isNegative() ? Duration.ZERO : elapsed);
        return new Tokens(accessToken, refreshToken, left.isNegative() ? Duration.ZERO : left);
    }

    @Override
    public String toString() {
        return "Tokens[expiresIn=" + expiresIn.toSeconds() + "s]";
    }
}
