package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Strict reading of the small JSON objects SoundCloud answers with. Nothing here throws on bad input. */
final class UpstreamJson {

    // A duplicated key or trailing bytes mean we cannot be sure which value SoundCloud meant.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private UpstreamJson() {
    }

    /** The body's top-level JSON object; empty when the body is anything else. */
    static Optional<JsonNode> object(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** True when the field is missing or JSON {@code null}. */
    static boolean isAbsent(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull();
    }

    /** The field's string value; empty when it is absent or not a string. */
    static Optional<String> text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** The field as a positive whole number, given as a JSON integer or as a string of digits; empty otherwise. */
    static OptionalLong positiveLong(JsonNode object, String field) {
        JsonNode value = object.get(field);
        long number;
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value != null && value.isTextual() && DIGITS.matcher(value.textValue()).matches()) {
            number = Long.parseLong(value.textValue());
        } else {
            return OptionalLong.empty();
        }
        return number > 0 ? OptionalLong.of(number) : OptionalLong.empty();
    }
}
