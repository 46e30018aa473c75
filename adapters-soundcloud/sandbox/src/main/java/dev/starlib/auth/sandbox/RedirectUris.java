package dev.starlib.auth.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the redirect back to the client: the registered URI with the response parameters added to its query. */
final class RedirectUris {

    private RedirectUris() {
    }

    /** {@code base} plus {@code parameters}, keeping any query {@code base} already has (RFC 6749 §3.1.2). */
    static URI withParameters(URI base, Map<String, String> parameters) {
        StringBuilder text = new StringBuilder(base.toString());
        char separator = base.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            text.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return URI.create(text.toString());
    }

    private static String encode(String value) {
        // URLEncoder writes form encoding; in a URI query a space must be %20, not '+'.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
