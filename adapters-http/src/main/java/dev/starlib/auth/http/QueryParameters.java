package dev.starlib.auth.http;

import io.helidon.webserver.http.ServerRequest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's query parameters, decoded strictly: a '%' not followed by two hex digits, or bytes that are
 * not UTF-8, make the whole query unusable, and a parameter this API reads may appear at most once (two
 * {@code state}s are an attack or a bug, and choosing one would hide it). Helidon decodes leniently, so the
 * raw query is decoded here.
 */
final class QueryParameters {

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    static QueryParameters of(ServerRequest request) {
        return parse(request.query().rawValue());
    }

    static QueryParameters parse(String rawQuery) {
        Map<String, List<String>> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /** The parameter's value, or empty when it is absent; present twice or more is a bad request. */
    Optional<String> optional(String name) {
        List<String> found = values.getOrDefault(name, List.of());
        if (found.size() > 1) {
            throw new RejectedRequest(Problem.invalidRequest("The " + name + " parameter must appear only once."));
        }
        return found.stream().findFirst();
    }

    String required(String name) {
        return optional(name).orElseThrow(() ->
                new RejectedRequest(Problem.invalidRequest("The " + name + " parameter is required.")));
    }

    private static String decode(String raw) {
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        boolean ascii = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int b;
            if (c == '%') {
                int high = i + 2 < raw.length() ? hexDigit(raw.charAt(i + 1)) : -1;
                int low = high >= 0 ? hexDigit(raw.charAt(i + 2)) : -1;
                if (low < 0) {
                    throw malformed();
                }
                b = high << 4 | low;
                i += 2;
            } else if (c == '+') {
                b = ' ';
            } else if (c < 0x80) {
                b = c;
            } else {
                throw malformed();
            }
            ascii &= b < 0x80;
            bytes[length++] = (byte) b;
        }
        if (ascii) {
            // ASCII bytes are valid UTF-8 that decodes to the same chars: no decoder needed (the common case).
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed();
        }
    }

    /** Only ASCII hex digits: {@link Character#digit} would also accept other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static RejectedRequest malformed() {
        return new RejectedRequest(Problem.invalidRequest("The query string is not correctly percent-encoded UTF-8."));
    }
}
