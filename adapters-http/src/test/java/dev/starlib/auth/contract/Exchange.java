package dev.starlib.auth.contract;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request and the response it got, as a test saw them on the wire.
 *
 * @param target the request target as sent: raw (percent-encoded) path and optional query
 */
public record Exchange(String method, String target, Map<String, List<String>> requestHeaders, byte[] requestBody,
                       int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {

    public Exchange {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        requestHeaders = caseInsensitive(requestHeaders);
        responseHeaders = caseInsensitive(responseHeaders);
        requestBody = requestBody == null ? new byte[0] : requestBody;
        responseBody = responseBody == null ? new byte[0] : responseBody;
    }

    /** The target of a full URL, e.g. {@code http://host:1/a?b=c} gives {@code /a?b=c}. */
    public static String targetOf(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    String rawPath() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    Optional<String> rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }

    Optional<String> requestHeader(String name) {
        List<String> values = requestHeaders.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    Optional<String> responseHeader(String name) {
        List<String> values = responseHeaders.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    String describe() {
        String body = new String(responseBody, StandardCharsets.UTF_8);
        return method + " " + target + " -> " + status + " " + responseHeaders.keySet() + " "
                + (body.length() > 400 ? body.substring(0, 400) + "…" : body);
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
                    .addAll(values));
        }
        return copy;
    }
}
