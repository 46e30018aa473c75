package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one rotation of a refresh token ended: SoundCloud issued a new pair (the presented token is dead from then
 * on), or the refresh failed. This is what every concurrent caller with that token is told, and what a caller
 * within the reuse window is told again; it is only ever kept {@link RotationSeal sealed} under the old token.
 */
public sealed interface Rotation {

    /** SoundCloud answered with new tokens at {@code rotatedAt}; their {@code expiresIn} counts from then. */
    record Rotated(Tokens tokens, Instant rotatedAt) implements Rotation {
        public Rotated {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(rotatedAt, "rotatedAt");
        }

        /**
         * The tokens as seen at {@code now}: the access token's lifetime left, not its lifetime at issue. Aged in
         * whole seconds, as {@code expires_in} counts, so an answer handed out in the moment it came loses nothing.
         */
        public Tokens tokensAt(Instant now) {
            return tokens.aged(Duration.ofSeconds(Duration.between(rotatedAt, now).toSeconds()));
        }
    }

    /** The refresh failed: SoundCloud refused the token, or could not be asked. */
    record Failed(LoginFailure failure) implements Rotation {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
