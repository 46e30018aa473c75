package dev.starlib.auth.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helidon 4.5 refuses a query with bad percent-encoding before routing runs (a bare 400, no body, no
 * headers). With {@link PublicApi#directHandlers} installed, as bootstrap does, the API answers problem JSON.
 * <p>
 * On the socket only: the bytes go raw, and Helidon refuses them in its connection handling, which
 * {@code DirectClient} never reaches (tried: its request gets through to routing, which answers 404).
 */
@ServerTest
class TransportErrorsTest extends RouteTest {

    private final int port;

    TransportErrorsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestApi.configure(server);
    }

    @Test
    void badPercentEncodingInTheQueryIsAnInvalidRequestProblem() throws IOException {
        Reply reply = RawHttp.get(port, "/auth/soundcloud/result?state=%ZZ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(reply.json().path("title").asText()).isEqualTo("Bad Request");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
    }

    @Test
    void badPercentEncodingInTheRedirectIsAnInvalidRequestProblem() throws IOException {
        Reply reply = RawHttp.get(port, "/auth/soundcloud/redirect?code=%ZZ&state=abc");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(reply.body()).doesNotContain("%ZZ", "abc");
    }

    @Test
    void badPercentEncodingInThePathIsAnInvalidRequestProblem() throws IOException {
        Reply reply = RawHttp.get(port, "/auth/soundcloud/%ZZ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void theContractAnswersAnUndecodableQueryWithTheProblemItDocuments() throws IOException {
        Reply reply = RawHttp.get(port, "/openapi?x=%ZZ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void elsewhereItIsAProblemTooWithNosniffAndNoApiHeaders() throws IOException {
        Reply reply = RawHttp.get(port, "/health?x=%ZZ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(reply.header("Cache-Control")).isEmpty();
    }
}
