package dev.starlib.auth.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
        return ApiJson.bytes(body(problem));
    }

    static void write(ServerResponse response, Problem problem) {
        response.status(problem.status());
        problem.retryAfter().ifPresent(wait ->
                response.header(HeaderNames.RETRY_AFTER, String.valueOf(Problem.seconds(wait))));
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, MEDIA_TYPE));
        response.send(bytes(problem));
    }
}
