package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request body that must be a small JSON object: {@code application/json}, at most {@link #MAX_BYTES}
 * (counted as read, so chunked bodies without a Content-Length are bounded too), no duplicate keys.
 * Fields this API does not know are ignored.
 */
final class JsonBody {

    static final int MAX_BYTES = 4096;

    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    static JsonBody read(ServerRequest request) {
        requireJsonContentType(request);
        JsonNode document;
        try {
            document = ApiJson.parse(readAtMostLimit(request));
        } catch (IOException e) {
            throw notAJsonObject();
        }
        if (document == null || !document.isObject()) {
            throw notAJsonObject();
        }
        return new JsonBody(document);
    }

    /** The named string field; absent, {@code null} or not a string is a bad request. */
    String requiredText(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw new RejectedRequest(Problem.invalidRequest("The body needs the string field \"" + name + "\"."));
        }
        if (!value.isTextual()) {
            throw new RejectedRequest(Problem.invalidRequest("The field \"" + name + "\" must be a string."));
        }
        return value.textValue();
    }

    /** The named string field, or empty when it is absent or {@code null}; any other type is a bad request. */
    Optional<String> optionalText(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new RejectedRequest(Problem.invalidRequest("The field \"" + name + "\" must be a string."));
        }
        return Optional.of(value.textValue());
    }

    private static void requireJsonContentType(ServerRequest request) {
        Optional<HttpMediaType> contentType;
        try {
            contentType = request.headers().contentType();
        } catch (IllegalArgumentException e) {
            contentType = Optional.empty();
        }
        boolean json = contentType
                .filter(type -> "application".equalsIgnoreCase(type.type()) && "json".equalsIgnoreCase(type.subtype()))
                .filter(type -> type.charset().map(c -> "utf-8".equals(c.toLowerCase(Locale.ROOT))).orElse(true))
                .isPresent();
        if (!json) {
            throw new RejectedRequest(new Problem(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                    "Send the body as JSON with Content-Type: application/json."), request.content().hasEntity());
        }
    }

    private static byte[] readAtMostLimit(ServerRequest request) {
        OptionalLong declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BYTES) {
            throw tooLarge();
        }
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        byte[] body;
        try {
            // Not closed on purpose: closing would read on; a refusal closes the connection instead.
            InputStream in = request.content().inputStream();
            body = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException | RuntimeException brokenFraming) {
            // e.g. a chunk size that is not hex: Helidon 4.5 lets a NumberFormatException through from its parser.
            throw new RejectedRequest(Problem.invalidRequest("The body could not be read."), true);
        }
        if (body.length > MAX_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    private static RejectedRequest tooLarge() {
        return new RejectedRequest(new Problem(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large",
                "The body is larger than " + MAX_BYTES + " bytes."), true);
    }

    private static RejectedRequest notAJsonObject() {
        return new RejectedRequest(Problem.invalidRequest("The body must be a JSON object."));
    }
}
