package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * SoundCloud's token endpoint, {@code /me} and {@code /sign-out}, as this service needs them. The adapter owns the
 * client credentials and the redirect URI; callers pass only what varies per login. Implementations never retry a
 * code exchange (codes are single-use) and turn every upstream behaviour into an {@link UpstreamResult}.
 */
public interface SoundCloud {

    UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier);

    /**
     * Rotates the refresh token. A refresh may take longer than a client waits for its answer (the adapter's own,
     * longer bound), so that a late answer can still be remembered for the client's retry.
     */
    UpstreamResult<Tokens> refresh(RefreshToken refreshToken);

    UpstreamResult<SoundCloudUser> me(AccessToken accessToken);

    /** Ends the SoundCloud session the access token belongs to ({@code POST /sign-out}). */
    UpstreamResult<SessionEnd> signOut(AccessToken accessToken);

    /** How SoundCloud answered a sign-out: either way, the session is gone. */
    enum SessionEnd {
        /** SoundCloud ended the session. */
        ENDED,
        /** SoundCloud no longer knew the token (expired, revoked, signed out before). */
        ALREADY_INVALID
    }

    /**
     * A token for the app itself: {@code grant_type=client_credentials}, with the client credentials in HTTP Basic
     * authentication. SoundCloud allows few of these (50 per 12 hours per app, 30 per hour per IP): callers cache
     * the answer and renew it by {@link #refreshAppToken} where they can.
     */
    UpstreamResult<AppTokenGrant> grantAppToken();

    /** Renews the app token with the refresh token its grant came with; a refusal means: grant a new one. */
    UpstreamResult<AppTokenGrant> refreshAppToken(RefreshToken refreshToken);

    /** Every way an upstream call can end: a success, or one of the {@link Failure}s. */
    sealed interface UpstreamResult<T> {

        /** Every way an upstream call can fail. */
        sealed interface Failure<T> extends UpstreamResult<T> {
        }

        record Success<T>(T value) implements UpstreamResult<T> {
            public Success {
                Objects.requireNonNull(value, "value");
            }
        }

        /**
         * SoundCloud answered with an OAuth error (RFC 6749 §5.2), e.g. {@code invalid_grant} or
         * {@code invalid_client}. {@code error} is SoundCloud's code as sent, reduced to a safe token.
         */
        record Rejected<T>(String error, int httpStatus) implements Failure<T> {
            public Rejected {
                Objects.requireNonNull(error, "error");
            }

            public boolean isInvalidGrant() {
                return "invalid_grant".equals(error);
            }

            public boolean isInvalidClient() {
                return "invalid_client".equals(error) || "unauthorized_client".equals(error);
            }
        }

        /** SoundCloud could not be reached, answered 5xx, or answered something unreadable. */
        record Unavailable<T>(String reason) implements Failure<T> {
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * SoundCloud answered 429: this app (or this IP) asked too often, a refusal of the moment, never a verdict on
         * the grant. {@code retryAfter} is how long until SoundCloud said the limit resets, when it said so.
         */
        record RateLimited<T>(Optional<Duration> retryAfter) implements Failure<T> {
            public RateLimited {
                Objects.requireNonNull(retryAfter, "retryAfter");
            }
        }

        /** No answer within the configured timeout. */
        record TimedOut<T>() implements Failure<T> {
        }
    }
}
