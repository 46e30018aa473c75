package dev.starlib.auth.http;

import io.helidon.http.Status;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One RFC 9457 problem: the status, a stable machine code ({@code error}) and a sentence the frontend shows
 * ({@code detail}). Details never carry a code, token or state. {@code retryAfter}, when known, goes out as
 * {@code Retry-After} in whole seconds.
 */
record Problem(Status status, String error, String detail, Optional<Duration> retryAfter) {

    static final String NOT_CONFIGURED_DETAIL =
            "Set CLIENT_ID and CLIENT_SECRET (environment or .env file) and restart the service.";

    Problem {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    Problem(Status status, String error, String detail) {
        this(status, error, detail, Optional.empty());
    }

    /** Whole seconds, rounded up, at least one: what {@code Retry-After} says. */
    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    static Problem invalidRequest(String detail) {
        return new Problem(Status.BAD_REQUEST_400, "invalid_request", detail);
    }

    static Problem invalidState(String detail) {
        return new Problem(Status.BAD_REQUEST_400, "invalid_state", detail);
    }

    static Problem notConfigured() {
        return new Problem(Status.SERVICE_UNAVAILABLE_503, "not_configured", NOT_CONFIGURED_DETAIL);
    }

    static Problem storeUnavailable() {
        return new Problem(Status.SERVICE_UNAVAILABLE_503, "store_unavailable",
                "The sign-in service cannot reach its session store right now. Please try again in a moment.");
    }

    static Problem internalError() {
        return new Problem(Status.INTERNAL_SERVER_ERROR_500, "internal_error",
                "Something went wrong on our side. Please try again in a moment.");
    }

    static Problem tooManyRequests(String detail) {
        return new Problem(Status.TOO_MANY_REQUESTS_429, "too_many_requests", detail);
    }

    static Problem notFound() {
        return new Problem(Status.NOT_FOUND_404, "not_found", "There is no such endpoint under /auth/soundcloud.");
    }

    /**
     * For statuses that Helidon decides itself (no route, unreadable request, ...): a generic problem,
     * because the exception's own message may quote the request.
     */
    static Problem forStatus(Status status) {
        return switch (status.code()) {
            case 400 -> invalidRequest("The request is malformed.");
            case 404 -> notFound();
            case 405 -> new Problem(status, "method_not_allowed", "This endpoint does not accept this method.");
            case 413 -> new Problem(status, "payload_too_large", "The request is too large.");
            case 414 -> new Problem(status, "uri_too_long", "The request URI is too long.");
            case 431 -> new Problem(status, "headers_too_large", "The request headers are too large.");
            case 415 -> new Problem(status, "unsupported_media_type", "The request has an unsupported content type.");
            default -> status.code() >= 500
                    ? new Problem(status, "internal_error", internalError().detail())
                    : new Problem(status, "invalid_request", "The request cannot be processed.");
        };
    }
}
