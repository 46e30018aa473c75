package dev.starlib.auth.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CORS for the API. An allowed origin gets {@code Access-Control-Allow-Origin} on every response, errors
 * included (without it a browser reports only "Failed to fetch"); a preflight from it is answered here.
 * A foreign origin never gets the header, and its preflight is refused with a 403 problem. No credentials:
 * the frontend sends no cookies.
 */
final class CorsFilter implements Filter {

    static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    /** The frontend sends {@code Content-Type: application/json} even on GET. */
    static final String ALLOWED_HEADERS = "Content-Type";
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final CorsPolicy policy;

    CorsFilter(CorsPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!ApiPath.covers(request.prologue())) {
            chain.proceed();
            return;
        }
        Optional<String> allowedOrigin = allowedOrigin(policy, request.headers());
        responseHeaders(allowedOrigin).forEach(response::header);
        // Only an endpoint has a preflight to grant; one for any other path is answered as that path is (404).
        if (isPreflight(request) && Endpoint.named(request.prologue().uriPath().path()).isPresent()) {
            if (allowedOrigin.isPresent()) {
                response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
                response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
                response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, String.valueOf(MAX_AGE.toSeconds()));
                response.status(Status.NO_CONTENT_204).send();
            } else {
                ProblemWriter.write(response, new Problem(Status.FORBIDDEN_403, "cors_origin_not_allowed",
                        "This origin may not call the Starlib sign-in service from a browser."));
            }
            return;
        }
        chain.proceed();
    }

    /** The request's single {@code Origin}, when the policy allows it; echoed back exactly as sent. */
    static Optional<String> allowedOrigin(CorsPolicy policy, Headers requestHeaders) {
        List<String> origins = requestHeaders.values(HeaderNames.ORIGIN);
        if (origins.size() != 1 || !policy.allows(origins.getFirst())) {
            return Optional.empty();
        }
        return Optional.of(origins.getFirst());
    }

    /** What every API response carries: the answer depends on Origin, so caches must key on it. */
    static List<Header> responseHeaders(Optional<String> allowedOrigin) {
        List<Header> headers = new ArrayList<>();
        headers.add(HeaderValues.create(HeaderNames.VARY, "Origin"));
        allowedOrigin.ifPresent(origin -> headers.add(HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)));
        return headers;
    }

    private static boolean isPreflight(RoutingRequest request) {
        Headers headers = request.headers();
        return Method.OPTIONS.equals(request.prologue().method())
                && headers.contains(HeaderNames.ORIGIN)
                && headers.contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }
}
