package dev.starlib.auth.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writes every error response of the API, so they all look the same. */
final class ProblemWriter {

    static final String MEDIA_TYPE = "application/problem+json";

    private ProblemWriter() {
    }

    /** The RFC 9457 members, plus {@code error}, the code clients switch on. */
    record Body(String type, String title, int status, String detail, String error) {
    }

    static Body body(Problem problem) {
        return new Body("about:blank", problem.status().reasonPhrase(), problem.status().code(), problem.detail(),
                problem.error());
    }

    static byte[] bytes(Problem problem) {
        return Json.bytes(body(problem));
    }

    static void write(ServerResponse response, Problem problem) {
        response.status(problem.status());
        response.header(HeaderValues.create("Content-Type", MEDIA_TYPE));
        if (problem.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            // The rest of the body is still on the wire: close rather than read it all to keep the connection.
            response.header(HeaderValues.CONNECTION_CLOSE);
        }
        response.send(bytes(problem));
    }
}
