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
    void requestLineOverTheLimitIsAUriTooLongProblem() throws IOException {
        Reply reply = RawHttp.get(port, "/auth/soundcloud/result?state=" + "a".repeat(5000));

        assertThat(reply.status()).isEqualTo(414);
        assertProblem(reply, "uri_too_long");
    }

    @Test
    void headersOverTheLimitAreAHeadersTooLargeProblem() throws IOException {
        Reply reply = RawHttp.get(port, "/auth/soundcloud/authorize", "X-Padding: " + "p".repeat(20_000));

        assertThat(reply.status()).isEqualTo(431);
        assertProblem(reply, "headers_too_large");
    }

    @Test
    void malformedRequestLineIsAnInvalidRequestProblem() throws IOException {
        assertRefusedAsInvalidRequest("GET /auth/soundcloud/authorize HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
                new byte[0]);
    }

    @Test
    void malformedHeaderLineIsAnInvalidRequestProblem() throws IOException {
        assertRefusedAsInvalidRequest("GET /auth/soundcloud/authorize HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n",
                new byte[0]);
    }

    @Test
    void contentLengthThatIsNotANumberIsAnInvalidRequestProblem() throws IOException {
        assertRefusedAsInvalidRequest("POST /auth/soundcloud/refresh HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: twelve\r\n\r\n", "{}".getBytes());
    }

    @Test
    void twoDifferentContentLengthsAreAnInvalidRequestProblem() throws IOException {
        assertRefusedAsInvalidRequest("POST /auth/soundcloud/refresh HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n", "{}".getBytes());
    }

    @Test
    void chunkSizeThatIsNotHexIsAnInvalidRequestProblem() throws IOException {
        assertRefusedAsInvalidRequest("POST /auth/soundcloud/refresh HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                "zz\r\n{}\r\n0\r\n\r\n".getBytes());
    }

    /** Helidon refuses these bytes before routing; the answer is the API's 400 problem all the same. */
    private void assertRefusedAsInvalidRequest(String head, byte[] body) throws IOException {
        Reply reply = RawHttp.send(port, head, body);

        assertThat(reply.status()).isEqualTo(400);
        assertProblem(reply, "invalid_request");
    }

    private static void assertProblem(Reply reply, String error) {
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo(error);
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.body()).doesNotContain("Exception", "at io.helidon", "ppppp");
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
