package dev.starlib.auth.domain;

import java.util.Objects;
import java.util.Optional;

/** A SoundCloud access token. Opaque to us; never printed. */
public record AccessToken(String value) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        if (!TokenRules.isWellFormed(value)) {
            throw new IllegalArgumentException("an access token is 1.." + TokenRules.MAX_LENGTH + " visible ASCII characters");
        }
    }

    /** Parses an untrusted value, such as one posted by a client; empty when it cannot be a token. */
    public static Optional<AccessToken> parse(String raw) {
        return raw != null && TokenRules.isWellFormed(raw) ? Optional.of(new AccessToken(raw)) : Optional.empty();
    }

    /** SHA-256 of the token: how a sign-out names what it ends. */
    public TokenHash hash() {
        return TokenHash.of(value);
    }

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }
}
