package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SessionStoreException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/**
 * Turns whatever escapes a handler or filter into a problem response: under {@code /auth/soundcloud} the API's own
 * problems, elsewhere on the public port {@link Unrouted}'s (problem JSON, or a page for a browser).
 */
final class ErrorHandling {

    private static final System.Logger LOG = System.getLogger(ErrorHandling.class.getName());
    /** A store fault is usually a restart or a failover: seconds, not minutes. */
    static final int STORE_RETRY_AFTER_SECONDS = 2;
    static final String NOT_FOUND_OUTSIDE = "There is nothing at this path. The sign-in API is under /auth/soundcloud; "
            + "its contract is at /openapi.";

    private ErrorHandling() {
    }

    static void register(HttpRouting.Builder routing, Pages pages) {
        Unrouted outside = new Unrouted(NOT_FOUND_OUTSIDE, Map.of(OpenApiDocument.PATH, "GET"), pages::unrouted);
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
            } else {
                outside.failed(request, response, failure);
            }
        });
        // Helidon's own refusals (no route, unreadable Accept, ...): the status stands, the wording is ours.
        routing.error(HttpException.class, (request, response, failure) -> {
            if (ApiPath.covers(request.prologue())) {
                answer(request, response, Problem.forStatus(failure.status()));
            } else {
                if (OpenApiDocument.PATH.equals(request.prologue().uriPath().rawPath())) {
                    // The contract is the API's too: its 405 carries the API's headers, as the contract says.
                    SecurityHeaders.API.forEach(response::header);
                    response.header(HeaderNames.VARY, "Origin");
                }
                outside.refused(request, response, failure.status());
            }
        });
        routing.error(Exception.class, (request, response, failure) -> {
            if (ApiPath.covers(request.prologue())) {
                // The message names no request data; the exception is there for whoever fixes the bug.
                LOG.log(System.Logger.Level.ERROR, "unexpected failure while answering an API request", failure);
                answer(request, response, Problem.internalError());
            } else {
                outside.failed(request, response, failure);
            }
        });
    }

    private static void answer(ServerRequest request, ServerResponse response, Problem problem) {
        if (ApiPath.covers(request.prologue())) {
            ProblemWriter.write(response, problem);
        }
    }
}
