package dev.starlib.auth.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a query string or an {@code application/x-www-form-urlencoded} body, read as strictly as an
 * OAuth server must: a parameter sent without a value counts as absent (RFC 6749 §3.1), and one sent twice is a
 * malformed request, which {@link #repeatedName()} reveals.
 */
final class OAuthParameters {

    private final Map<String, List<String>> values;

    private OAuthParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses URL-encoded text ({@code +} is a space).
     *
     * @throws IllegalArgumentException for a broken percent-escape
     */
    static OAuthParameters parse(String urlEncoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (urlEncoded != null) {
            for (String pair : urlEncoded.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!name.isEmpty() && !value.isEmpty()) {
                    values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            }
        }
        return new OAuthParameters(values);
    }

    /** The value of a parameter sent once; empty when it is absent or repeated. */
    Optional<String> single(String name) {
        List<String> all = values.get(name);
        return all != null && all.size() == 1 ? Optional.of(all.getFirst()) : Optional.empty();
    }

    /** The first parameter sent more than once, if any. */
    Optional<String> repeatedName() {
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }
}
