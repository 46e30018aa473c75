package dev.starlib.auth.application;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a URL's query back into decoded parameters, in order, keeping repeats. */
final class Query {

    private Query() {
    }

    static Map<String, List<String>> parameters(URI uri) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** The single value of a parameter; fails the test when it is missing or repeated. */
    static String single(URI uri, String name) {
        List<String> values = parameters(uri).get(name);
        if (values == null || values.size() != 1) {
            throw new AssertionError("expected exactly one '" + name + "' in " + uri + " but got " + values);
        }
        return values.get(0);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
