package dev.starlib.auth.sandbox;

import java.util.Objects;

/** What {@code POST /oauth/token} answers: tokens, or an OAuth error (RFC 6749 §5.2). */
sealed interface TokenOutcome {

    /** A fresh token pair. Carries secrets: never log it. */
    record Issued(String accessToken, String refreshToken, long expiresInSeconds) implements TokenOutcome {
        public Issued {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String toString() {
            return "Issued[expiresInSeconds=" + expiresInSeconds + ", tokens=redacted]";
        }
    }

    record Refused(int status, String error, String description) implements TokenOutcome {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(description, "description");
        }

        static Refused invalidRequest(String description) {
            return new Refused(400, "invalid_request", description);
        }

        static Refused invalidGrant(String description) {
            return new Refused(400, "invalid_grant", description);
        }
    }
}
