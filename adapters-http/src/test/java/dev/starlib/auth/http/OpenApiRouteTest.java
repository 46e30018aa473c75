package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starlib.auth.contract.OpenApiContract;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The running service serves its contract: the same bytes as contract/openapi.yaml, or that document as JSON. */
abstract class OpenApiRouteTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends OpenApiRouteTest {
    }

    @ServerTest
    static final class OnSocket extends OpenApiRouteTest {
    }

    private Reply openapi(String accept) {
        var request = client.get("/openapi");
        if (accept != null) {
            request.header(HeaderNames.ACCEPT, accept);
        }
        return Api.send(request);
    }

    @Test
    void servesTheContractFileAsYamlByDefault() throws IOException {
        Reply reply = openapi(null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/yaml");
        assertThat(reply.body()).isEqualTo(Files.readString(Path.of("../contract/openapi.yaml"), StandardCharsets.UTF_8));
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void servesOpenApiYamlWhenAskedForIt() {
        Reply reply = openapi("application/openapi+yaml");

        assertThat(reply.header("Content-Type")).hasValue("application/openapi+yaml");
        assertThat(reply.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void servesTheSameDocumentAsJsonWhenAskedForJson() throws IOException {
        Reply reply = openapi("application/json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        JsonNode served = reply.json();
        JsonNode fromYaml = new ObjectMapper().valueToTree(yamlTree());
        assertThat(served).isEqualTo(fromYaml);
        assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(served.path("paths").has("/auth/soundcloud/refresh")).isTrue();
    }

    @Test
    void browsersAskingForHtmlStillGetYaml() {
        Reply reply = openapi("text/html,application/xhtml+xml,*/*;q=0.8");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("yaml"));
    }

    private static Object yamlTree() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(500);
        try (InputStream in = OpenApiRouteTest.class.getClassLoader().getResourceAsStream(OpenApiContract.RESOURCE)) {
            return new Yaml(new SafeConstructor(options)).load(in);
        }
    }
}
