package dev.starlib.auth.domain;

import java.util.Objects;
import java.util.Optional;

/** A SoundCloud refresh token: single-use, every refresh returns a new one. Never printed. */
public record RefreshToken(String value) {

    public RefreshToken {
        Objects.requireNonNull(value, "value");
        if (!TokenRules.isWellFormed(value)) {
            throw new IllegalArgumentException("a refresh token is 1.." + TokenRules.MAX_LENGTH + " visible ASCII characters");
        }
    }

    /** Parses an untrusted value, such as one posted by a client; empty when it cannot be a token. */
    public static Optional<RefreshToken> parse(String raw) {
        return raw != null && TokenRules.isWellFormed(raw) ? Optional.of(new RefreshToken(raw)) : Optional.empty();
    }

    /** SHA-256 of the token: what a rotation of it is remembered under. */
    public TokenHash hash() {
        return TokenHash.of(value);
    }

    @Override
    public String toString() {
        return "RefreshToken[redacted]";
    }
}
