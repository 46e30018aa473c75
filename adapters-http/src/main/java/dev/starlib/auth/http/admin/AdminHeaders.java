package dev.starlib.auth.http.admin;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * Headers on every admin response, the 401 included: never framed (clickjacking the cancel button), never
 * cached (the page lists live sessions), no referrer, nothing loaded but the page's own inline style; forms
 * post only back to this origin.
 */
final class AdminHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final List<Header> ALL = List.of(
            HeaderValues.create(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY),
            HeaderValues.create(HeaderNames.create("X-Frame-Options"), "DENY"),
            HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"),
            HeaderValues.create(HeaderNames.PRAGMA, "no-cache"),
            HeaderValues.create(HeaderNames.create("Referrer-Policy"), "no-referrer"),
            HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);

    private AdminHeaders() {
    }

    static void apply(ServerResponse response) {
        ALL.forEach(response::header);
    }
}
