package dev.starlib.auth.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a login did not yield tokens. The {@link Reason} is the stable, machine-readable part; the description
 * is a human sentence that is safe to show (it never carries a code, token or full state). {@code retryAfter}
 * says when trying again can help, as of the moment the failure was reported: SoundCloud's own reset time
 * after a 429, or when the circuit breaker lets the next call through; empty when nobody knows.
 */
public record LoginFailure(Reason reason, String description, Optional<Duration> retryAfter) {

    public enum Reason {
        /** The user declined on SoundCloud's consent page (or SoundCloud reported another authorization error). */
        ACCESS_DENIED,
        /** SoundCloud refused the code or refresh token: expired, used, or not bound to our verifier. */
        INVALID_GRANT,
        /** SoundCloud refused our client credentials: an operator must fix CLIENT_ID / CLIENT_SECRET. */
        INVALID_CLIENT,
        /** SoundCloud could not be reached, answered 5xx, or answered something we could not read. */
        UPSTREAM_UNAVAILABLE,
        /** SoundCloud did not answer within the configured timeout. */
        UPSTREAM_TIMEOUT;

        /** The stable wire code: the {@code error} of problem bodies and of the frontend redirect. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LoginFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(retryAfter, "retryAfter");
        retryAfter = retryAfter.filter(wait -> wait.isPositive());
    }

    /** A failure after which nobody can say when a retry helps. */
    public LoginFailure(Reason reason, String description) {
        this(reason, description, Optional.empty());
    }

    /** The same failure seen {@code elapsed} later: the wait left, if any is left. */
    public LoginFailure aged(Duration elapsed) {
        return retryAfter.isEmpty() || !elapsed.isPositive() ? this
                : new LoginFailure(reason, description, retryAfter.map(wait -> wait.minus(elapsed)));
    }
}
