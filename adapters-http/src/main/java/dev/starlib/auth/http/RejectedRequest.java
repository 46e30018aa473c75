package dev.starlib.auth.http;

import java.util.Objects;

/**
 * Thrown by the request parsers when a request cannot be used as sent; the error handler answers with its
 * problem. It stops a handler at the first bad input without threading a result through every route.
 */
final class RejectedRequest extends RuntimeException {

    private final transient Problem problem;
    private final boolean bodyLeftUnread;

    RejectedRequest(Problem problem) {
        this(problem, false);
    }

    /** @param bodyLeftUnread the request body was refused part-way: the connection must close after the answer */
    RejectedRequest(Problem problem, boolean bodyLeftUnread) {
        // No stack trace: this is an answer to the client, not a fault to investigate.
        super(problem.error(), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.bodyLeftUnread = bodyLeftUnread;
    }

    Problem problem() {
        return problem;
    }

    boolean bodyLeftUnread() {
        return bodyLeftUnread;
    }
}
