package dev.starlib.auth.http;

import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.domain.LoginFailure;
import io.helidon.http.Status;

/**
 * The one place where a failed login, refresh, sign-out or app token request becomes a status: clients branch on
 * these.
 */
final class FailureProblems {

    private FailureProblems() {
    }

    /**
     * A login that ended without tokens, as {@code /result} and {@code /callback} report it. SoundCloud trouble
     * with a known time to wait (a 429's reset, the breaker's next try) is 503 with {@code Retry-After}; without
     * one, 502.
     */
    static Problem ofLogin(LoginFailure failure) {
        Status status = switch (failure.reason()) {
            case ACCESS_DENIED -> Status.FORBIDDEN_403;
            case INVALID_GRANT -> Status.BAD_REQUEST_400;
            case INVALID_CLIENT -> Status.BAD_GATEWAY_502;
            case UPSTREAM_UNAVAILABLE -> failure.retryAfter().isPresent() ? Status.SERVICE_UNAVAILABLE_503
                    : Status.BAD_GATEWAY_502;
            case UPSTREAM_TIMEOUT -> Status.GATEWAY_TIMEOUT_504;
        };
        return new Problem(status, failure.reason().code(), failure.description(),
                status == Status.SERVICE_UNAVAILABLE_503 ? failure.retryAfter() : java.util.Optional.empty());
    }

    /**
     * A refresh that failed. A dead refresh token is 401, not 400: the frontend must tell "sign in again"
     * apart from "SoundCloud is down, retry" (502/503/504).
     */
    static Problem ofRefresh(LoginFailure failure) {
        if (failure.reason() == LoginFailure.Reason.INVALID_GRANT) {
            return new Problem(Status.UNAUTHORIZED_401, failure.reason().code(), failure.description());
        }
        return ofLogin(failure);
    }

    /** A sign-out SoundCloud did not confirm: the session may still be alive there (502/503/504). */
    static Problem ofSignOut(LoginFailure failure) {
        return ofLogin(failure);
    }

    /**
     * The app token could not be had. Wrong credentials and a rate limit are 503 (this service holds off, and says
     * until when); SoundCloud in trouble is 502/504, as for a refresh.
     */
    static Problem ofAppToken(ProvideAppToken.Result.Failed failed) {
        return switch (failed.cause()) {
            case INVALID_CLIENT -> new Problem(Status.SERVICE_UNAVAILABLE_503, "invalid_client", failed.description());
            case RATE_LIMITED -> new Problem(Status.SERVICE_UNAVAILABLE_503, "upstream_rate_limited",
                    failed.description());
            case REFUSED, UPSTREAM_UNAVAILABLE -> new Problem(Status.BAD_GATEWAY_502, "upstream_unavailable",
                    failed.description());
            case UPSTREAM_TIMEOUT -> new Problem(Status.GATEWAY_TIMEOUT_504, "upstream_timeout", failed.description());
        };
    }
}
