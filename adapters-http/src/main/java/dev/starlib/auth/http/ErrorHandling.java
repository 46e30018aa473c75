package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SessionStoreException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Turns whatever escapes a handler or filter under {@code /auth/soundcloud} into a problem response.
 * Elsewhere on the routing a handler leaves the response unsent, and Helidon answers as it would without us.
 */
final class ErrorHandling {

    private static final System.Logger LOG = System.getLogger(ErrorHandling.class.getName());
    /** A store fault is usually a restart or a failover: seconds, not minutes. */
    static final int STORE_RETRY_AFTER_SECONDS = 2;

    private ErrorHandling() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(RejectedRequest.class, (request, response, rejected) -> {
            if (rejected.bodyLeftUnread()) {
                // The rest of the body is still on the wire: close rather than read all of it to keep the connection.
                response.header(HeaderValues.CONNECTION_CLOSE);
            }
            answer(request, response, rejected.problem());
        });
        routing.error(SessionStoreException.class, (request, response, failure) -> {
            if (ApiPath.covers(request.prologue())) {
                // The message names the store (a directory, a Redis host) and the fault, never a session's secret.
                LOG.log(System.Logger.Level.WARNING, "session store unavailable: " + failure.getMessage());
                response.header(HeaderNames.RETRY_AFTER, String.valueOf(STORE_RETRY_AFTER_SECONDS));
                answer(request, response, Problem.storeUnavailable());
            }
        });
        // Helidon's own refusals (no route, unreadable Accept, ...): the status stands, the wording is ours.
        routing.error(HttpException.class, (request, response, failure) ->
                answer(request, response, Problem.forStatus(failure.status())));
        routing.error(Exception.class, (request, response, failure) -> {
            if (ApiPath.covers(request.prologue())) {
                // The message names no request data; the exception is there for whoever fixes the bug.
                LOG.log(System.Logger.Level.ERROR, "unexpected failure while answering an API request", failure);
                answer(request, response, Problem.internalError());
            }
        });
    }

    private static void answer(ServerRequest request, ServerResponse response, Problem problem) {
        if (ApiPath.covers(request.prologue())) {
            ProblemWriter.write(response, problem);
        }
    }
}
