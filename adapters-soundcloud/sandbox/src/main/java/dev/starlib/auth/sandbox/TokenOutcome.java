package dev.starlib.auth.sandbox;

import java.util.Objects;

import java.time.Instant;

/** What {@code POST /oauth/token} answers: tokens, an OAuth error (RFC 6749 §5.2), or SoundCloud's 429. */
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

    /** Too many client-credentials grants: 429 with SoundCloud's rate-limit body, resetting at {@code resetAt}. */
    record RateLimited(Instant resetAt) implements TokenOutcome {
        public RateLimited {
            Objects.requireNonNull(resetAt, "resetAt");
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
