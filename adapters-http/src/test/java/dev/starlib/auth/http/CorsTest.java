package dev.starlib.auth.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

abstract class CorsTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends CorsTest {
    }

    @ServerTest
    static final class OnSocket extends CorsTest {
    }

    private Reply preflight(String path, String origin, String method) {
        Http1ClientRequest request = api.request(Method.OPTIONS, path)
                .header(HeaderNames.ORIGIN, origin)
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, method)
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "content-type");
        return Api.send(request);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestApi.FRONTEND, "tauri://localhost", "http://localhost:5173"})
    void preflightFromAnAllowedOriginIsAnswered(String origin) {
        Reply reply = preflight("/authorize", origin, "GET");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(origin);
        assertThat(reply.header("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        assertThat(reply.header("Access-Control-Allow-Headers")).hasValue("Content-Type");
        assertThat(reply.header("Access-Control-Max-Age")).hasValueSatisfying(age -> assertThat(Integer.parseInt(age)).isPositive());
        assertThat(reply.header("Vary")).hasValueSatisfying(vary -> assertThat(vary).contains("Origin"));
        assertThat(reply.header("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void preflightForAPostIsAnswered() {
        Reply reply = preflight("/refresh", TestApi.FRONTEND, "POST");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://localhost.evil.example:3000", "https://localhost:3000",
            "http://127.0.0.1:5173", "null", "http://localhost:3000/../evil"})
    void preflightFromAForeignOriginIsRefusedWithoutAllowOrigin(String origin) {
        Reply reply = preflight("/refresh", origin, "POST");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("cors_origin_not_allowed");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(reply.header("Access-Control-Allow-Methods")).isEmpty();
    }

    @Test
    void successfulResponseCarriesAllowOrigin() {
        Reply reply = Api.send(api.get("/authorize").header(HeaderNames.ORIGIN, TestApi.FRONTEND)
                .header(HeaderNames.CONTENT_TYPE, "application/json"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
        assertThat(reply.header("Vary")).hasValueSatisfying(vary -> assertThat(vary).contains("Origin"));
    }

    @Test
    void badRequestProblemCarriesAllowOriginSoTheBrowserCanReadIt() {
        Reply reply = Api.send(api.get("/result").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void notFoundProblemCarriesAllowOrigin() {
        Reply reply = Api.send(api.get("/result").queryParam("state", "never-issued-0123456789abcdef")
                .header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void unknownPathProblemCarriesAllowOrigin() {
        Reply reply = Api.send(api.get("/nope").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("not_found");
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void serverErrorProblemCarriesAllowOrigin() {
        APP.store.breakDown();

        Reply reply = Api.send(api.get("/authorize").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void foreignOriginGetsNoAllowOrigin() {
        Reply reply = Api.send(api.get("/authorize").header(HeaderNames.ORIGIN, "https://evil.example"));

        assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(reply.header("Vary")).hasValueSatisfying(vary -> assertThat(vary).contains("Origin"));
    }

    @Test
    void twoOriginHeadersAreNotAllowed() {
        Reply reply = Api.send(api.get("/authorize").header(HeaderNames.ORIGIN, TestApi.FRONTEND, "https://evil.example"));

        assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void requestWithoutOriginGetsNoCorsHeaders() {
        Reply reply = Api.send(api.get("/authorize"));

        assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void optionsWithoutPreflightHeadersListsTheAllowedMethods() {
        Reply reply = Api.send(api.request(Method.OPTIONS, "/callback"));

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Allow")).hasValue("POST, OPTIONS");
    }
}
