package dev.starlib.auth.http;

import dev.starlib.auth.domain.LoginFailure;
import io.helidon.http.Status;

/** The one place where a failed login, refresh or sign-out becomes a status: the client branches on these. */
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
}
