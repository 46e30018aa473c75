package dev.starlib.auth.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Helidon answers some bad requests before routing runs, so neither the filters nor the error handlers see
 * them: a query with bad percent-encoding ({@code ?state=%ZZ}), an invalid path or header. Under
 * {@code /auth/soundcloud} these become problem JSON with the API's headers; elsewhere problem JSON with
 * {@code nosniff} only (Helidon's own answer is plain text, and its message may quote the request).
 */
final class TransportErrors implements DirectHandler {

    private final CorsPolicy cors;

    private TransportErrors(CorsPolicy cors) {
        this.cors = cors;
    }

    /**
     * Helidon passes a direct handler the refusal's message only when the listener "includes the entity"; the
     * handlers here read it to tell a header block over the limit from other bad requests, and never send it on.
     */
    static io.helidon.webserver.ErrorHandling errorHandling() {
        return io.helidon.webserver.ErrorHandling.builder().includeEntity(true).build();
    }

    static DirectHandlers handlers(CorsPolicy cors) {
        TransportErrors handler = new TransportErrors(cors);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    /**
     * Helidon 4.5 answers headers over {@code maxHeadersSize} with a plain 400 whose message is "Header size
     * exceeded"; RFC 6585 has a status for exactly that (TransportErrorsTest fails should the wording change).
     */
    static final Status HEADERS_TOO_LARGE = Status.create(431, "Request Header Fields Too Large");

    private static Status status(Status defaultStatus, String message) {
        if (defaultStatus.code() == 400 && "Header size exceeded".equals(message)) {
            return HEADERS_TOO_LARGE;
        }
        return defaultStatus;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, String message) {
        headers.set(SecurityHeaders.NO_SNIFF);
        Status status = status(defaultStatus, message);
        // A request line over the limit is not parsed at all, so its path is unknown: it is answered as the API would.
        if (ApiPath.covers(request.path()) || OpenApiDocument.PATH.equals(request.path())
                || status.code() == Status.REQUEST_URI_TOO_LONG_414.code()) {
            SecurityHeaders.API.forEach(headers::set);
            // Before routing only the prologue may be known: without headers there is no Origin to allow.
            CorsFilter.responseHeaders(CorsFilter.allowedOrigin(cors, request.headers())).forEach(headers::set);
        }
        headers.set(HeaderNames.CONTENT_TYPE, ProblemWriter.MEDIA_TYPE);
        Problem problem = Problem.forStatus(status);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(ProblemWriter.bytes(problem))
                .build();
    }
}
