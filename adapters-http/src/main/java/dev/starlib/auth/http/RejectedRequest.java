package dev.starlib.auth.http;

import java.util.Objects;

/**
 * Thrown by the request parsers when a request cannot be used as sent; the error handler answers with its
 * problem. It stops a handler at the first bad input without threading a result through every route.
 */
final class RejectedRequest extends RuntimeException {

    private final transient Problem problem;

    RejectedRequest(Problem problem) {
        // No stack trace: this is an answer to the client, not a fault to investigate.
        super(problem.error(), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    Problem problem() {
        return problem;
    }
}
