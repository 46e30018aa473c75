package dev.starlib.auth.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.Objects;

/**
 * How the service answers, outside the API's own paths, what no route took or what failed: problem JSON with a
 * stable {@code error} code (RFC 9457), or a small HTML page when a browser asks, never Helidon's plain-text
 * "Endpoint not found". The public port uses it through {@link PublicApi}; the operators' port registers its own,
 * with its own page and its own hint of where things are.
 */
public final class Unrouted {

    private static final System.Logger LOG = System.getLogger(Unrouted.class.getName());

    /** Shows a browser a page for {@code status} that says {@code detail}. */
    @FunctionalInterface
    public interface Page {
        void send(ServerResponse response, Status status, String detail);
    }

    private final String notFoundDetail;
    private final Map<String, String> methodsByPath;
    private final Page page;

    /**
     * @param notFoundDetail what a 404 says: where the things on this port are
     * @param methodsByPath  paths served here outside the rest of the routing's answers, and the one method each
     *                       takes: another method is a 405 with {@code Allow}
     */
    public Unrouted(String notFoundDetail, Map<String, String> methodsByPath, Page page) {
        this.notFoundDetail = Objects.requireNonNull(notFoundDetail, "notFoundDetail");
        this.methodsByPath = Map.copyOf(methodsByPath);
        this.page = Objects.requireNonNull(page, "page");
    }

    /** Registers the error handlers that answer for the whole routing; the API's own take precedence there. */
    public void register(HttpRouting.Builder routing) {
        routing.error(HttpException.class, (request, response, failure) -> refused(request, response, failure.status()));
        routing.error(Exception.class, (request, response, failure) -> failed(request, response, failure));
    }

    /** Helidon refused the request: no route (404, or 405 on a path we know), an unreadable request (400), ... */
    void refused(ServerRequest request, ServerResponse response, Status status) {
        String allowed = methodsByPath.get(path(request));
        String path = path(request);
        if (status.code() == Status.NOT_FOUND_404.code() && allowed != null) {
            response.header(HeaderNames.ALLOW, allowed);
            answer(request, response, new Problem(Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                    path + " accepts " + allowed + " only."));
        } else if (status.code() == Status.NOT_FOUND_404.code()) {
            answer(request, response, new Problem(Status.NOT_FOUND_404, "not_found", notFoundDetail));
        } else {
            answer(request, response, Problem.forStatus(status));
        }
    }

    private static String path(ServerRequest request) {
        try {
            return request.prologue().uriPath().path();
        } catch (IllegalArgumentException undecodable) {
            return request.prologue().uriPath().rawPath();
        }
    }

    /** A bug: logged with its stack for whoever fixes it (the message names no request data), answered generically. */
    void failed(ServerRequest request, ServerResponse response, Exception failure) {
        LOG.log(System.Logger.Level.ERROR, "unexpected failure while answering a request", failure);
        answer(request, response, Problem.internalError());
    }

    private void answer(ServerRequest request, ServerResponse response, Problem problem) {
        response.header(SecurityHeaders.NO_SNIFF);
        // An error is about this moment: no cache should keep it.
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (prefersHtml(request)) {
            page.send(response, problem.status(), problem.detail());
        } else {
            ProblemWriter.write(response, problem);
        }
    }

    /** Browsers (which ask for text/html first) get a page; API clients and everyone else get problem JSON. */
    public static boolean prefersHtml(ServerRequest request) {
        try {
            return request.headers().bestAccepted(MediaTypes.APPLICATION_JSON, MediaTypes.TEXT_HTML)
                    .filter(MediaTypes.TEXT_HTML::equals)
                    .isPresent();
        } catch (RuntimeException unparsableAccept) {
            return false;
        }
    }

    /** The problem body alone, for routings that answer their own errors (the operators' port). */
    public static void writeProblem(ServerResponse response, Status status, String error, String detail) {
        ProblemWriter.write(response, new Problem(status, error, detail));
    }
}
