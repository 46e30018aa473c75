package dev.starlib.auth.sandbox;

import java.util.Locale;
import java.util.Optional;

/** The token of SoundCloud's {@code Authorization: OAuth <token>} header, or why there is none. */
final class OAuthAuthorization {

    private static final String SCHEME = "oauth ";

    /** The token, or a refusal's description. */
    sealed interface Parsed {
        record Token(String value) implements Parsed {
            @Override
            public String toString() {
                return "Token[redacted]";
            }
        }

        record Refused(String description) implements Parsed {
        }
    }

    private OAuthAuthorization() {
    }

    static Parsed parse(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return new Parsed.Refused("Authorization: OAuth <access_token> is required.");
        }
        String header = authorization.get().strip();
        // Auth schemes are case-insensitive (RFC 9110 §11.1); the scheme itself must be SoundCloud's.
        if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return new Parsed.Refused("Use the OAuth scheme: Authorization: OAuth <access_token>.");
        }
        String token = header.substring(SCHEME.length()).strip();
        return token.isEmpty() ? new Parsed.Refused("The access token is missing.") : new Parsed.Token(token);
    }
}
