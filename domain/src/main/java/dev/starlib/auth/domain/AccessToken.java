package dev.starlib.auth.domain;

import java.util.Objects;

/** A SoundCloud access token. Opaque to us; never printed. */
public record AccessToken(String value) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        if (!TokenRules.isWellFormed(value)) {
            throw new IllegalArgumentException("an access token is 1.." + TokenRules.MAX_LENGTH + " visible ASCII characters");
        }
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
