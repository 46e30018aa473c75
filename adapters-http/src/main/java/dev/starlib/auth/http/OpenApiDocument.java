package dev.starlib.auth.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.common.LazyValue;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /openapi}: the API's contract, {@code contract/openapi.yaml}, which the build copies into this jar
 * (see the module's pom), so the document served and the one the tests validate against are the same file.
 * YAML as written by default; JSON, converted once when first asked for, for clients that prefer
 * {@code application/json}: the conversion (SnakeYAML and Jackson over the whole document) was a tenth of the
 * service's start, for a format few callers want.
 */
final class OpenApiDocument {

    static final String PATH = "/openapi";
    /** Where the build puts {@code contract/openapi.yaml} on the class path. */
    static final String RESOURCE = "dev/starlib/auth/http/openapi.yaml";

    static final MediaType YAML = MediaTypes.create("application/yaml");
    static final MediaType OPENAPI_YAML = MediaTypes.create("application/openapi+yaml");
    static final MediaType JSON = MediaTypes.APPLICATION_JSON;
    static final MediaType OPENAPI_JSON = MediaTypes.create("application/openapi+json");
    /** In order of preference when Accept does not choose: YAML is the document as written. */
    private static final List<MediaType> OFFERED = List.of(YAML, OPENAPI_YAML, JSON, OPENAPI_JSON);

    private final byte[] yaml;
    private final LazyValue<byte[]> json;

    private OpenApiDocument(byte[] yaml) {
        this.yaml = yaml;
        this.json = LazyValue.create(() -> toJson(yaml));
    }

    /** Reads and converts the bundled document; a missing or unreadable one is a packaging bug. */
    static OpenApiDocument load() {
        byte[] yaml;
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: the build copies it from contract/");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new OpenApiDocument(yaml);
    }

    void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::answer);
        routing.any(PATH, OpenApiDocument::otherMethod);
    }

    /** The document is read, never written: any other method is told so, as the API's own paths tell it. */
    private static void otherMethod(ServerRequest request, ServerResponse response) {
        response.header(SecurityHeaders.NO_SNIFF);
        SecurityHeaders.API.forEach(response::header);
        response.header(HeaderNames.VARY, "Origin");
        response.header(HeaderNames.ALLOW, "GET");
        ProblemWriter.write(response, new Problem(io.helidon.http.Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                PATH + " accepts GET only."));
    }

    private void answer(ServerRequest request, ServerResponse response) {
        MediaType type = preferred(request);
        boolean asJson = type.equals(JSON) || type.equals(OPENAPI_JSON);
        response.header(HeaderNames.CONTENT_TYPE, type.text());
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.header(HeaderNames.VARY, "Accept");
        // Public documentation: any web tool (an API explorer, a frontend's test page) may read it.
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.send(asJson ? json.get() : yaml);
    }

    private static MediaType preferred(ServerRequest request) {
        Optional<MediaType> best;
        try {
            best = request.headers().bestAccepted(OFFERED.toArray(MediaType[]::new));
        } catch (RuntimeException unparsableAccept) {
            best = Optional.empty();
        }
        return best.orElse(YAML);
    }

    private static byte[] toJson(byte[] yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(500); // the document shares header and response blocks by YAML anchors
        Object tree = new Yaml(new SafeConstructor(options)).load(new String(yaml, StandardCharsets.UTF_8));
        try {
            return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document as JSON", e);
        }
    }
}
