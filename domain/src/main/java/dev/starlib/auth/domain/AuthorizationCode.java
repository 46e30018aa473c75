package dev.starlib.auth.domain;

import java.util.Objects;
import java.util.Optional;

/** The single-use authorization code SoundCloud hands back. Opaque; bounded and printable only. */
public record AuthorizationCode(String value) {

    static final int MAX_LENGTH = 1024;

    public AuthorizationCode {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("an authorization code is 1.." + MAX_LENGTH + " visible ASCII characters");
        }
    }

    public static Optional<AuthorizationCode> parse(String raw) {
        return raw != null && isWellFormed(raw) ? Optional.of(new AuthorizationCode(raw)) : Optional.empty();
    }

    private static boolean isWellFormed(String value) {
        return !value.isEmpty() && value.length() <= MAX_LENGTH && Secrets.isVisibleAscii(value);
    }

    @Override
    public String toString() {
        return "AuthorizationCode[redacted]";
    }
}
