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

    static DirectHandlers handlers(CorsPolicy cors) {
        TransportErrors handler = new TransportErrors(cors);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, String message) {
        headers.set(SecurityHeaders.NO_SNIFF);
        if (ApiPath.covers(request.path())) {
            SecurityHeaders.API.forEach(headers::set);
            // Before routing only the prologue may be known: without headers there is no Origin to allow.
            CorsFilter.responseHeaders(CorsFilter.allowedOrigin(cors, request.headers())).forEach(headers::set);
        }
        headers.set(HeaderNames.CONTENT_TYPE, ProblemWriter.MEDIA_TYPE);
        Problem problem = Problem.forStatus(defaultStatus);
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(headers)
                .entity(ProblemWriter.bytes(problem))
                .build();
    }
}
