package dev.starlib.auth.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;

/**
 * Headers set before routing, so error responses carry them too. Every response gets {@code nosniff};
 * API responses, which carry tokens and states, are never stored, never leak a referrer, and load nothing
 * (the HTML pages widen the content security policy for their inline style only).
 */
final class SecurityHeaders implements Filter {

    static final Header NO_SNIFF = HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF;
    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    static final List<Header> API = List.of(
            HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"),
            HeaderValues.create(HeaderNames.PRAGMA, "no-cache"),
            HeaderValues.create(REFERRER_POLICY, "no-referrer"),
            HeaderValues.create(CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"));

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        response.header(NO_SNIFF);
        if (ApiPath.covers(request.prologue())) {
            API.forEach(response::header);
        }
        chain.proceed();
    }
}
