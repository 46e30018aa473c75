package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP response as a test looks at it: status, headers (names lowercased) and the body as text. */
record Reply(int status, Map<String, List<String>> headers, String body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** The {@code error} member of a problem body. */
    String error() {
        return json().path("error").asText();
    }

    String detail() {
        return json().path("detail").asText();
    }
}
