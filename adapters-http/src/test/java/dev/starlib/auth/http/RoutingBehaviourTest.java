package dev.starlib.auth.http;

import dev.starlib.auth.domain.State;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What holds for every endpoint: methods, unknown paths, headers, unexpected failures, and the routes beside ours
 * ({@link RouteTest} mounts them).
 */
abstract class RoutingBehaviourTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends RoutingBehaviourTest {
    }

    @ServerTest
    static final class OnSocket extends RoutingBehaviourTest {
    }

    @ParameterizedTest
    @CsvSource({"POST, /authorize, GET", "GET, /callback, POST", "PUT, /refresh, POST", "DELETE, /result, GET",
            "PATCH, /redirect, GET", "POST, /done, GET"})
    void wrongMethodOnAKnownPathIs405WithAllow(String method, String path, String allowed) {
        Reply reply = Api.send(api.request(Method.create(method), path));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue(allowed + ", OPTIONS");
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("method_not_allowed");
        assertThat(reply.json().path("title").asText()).isEqualTo("Method Not Allowed");
    }

    @Test
    void unknownPathUnderTheApiIsANotFoundProblem() {
        Reply reply = Api.send(api.get("/token"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("not_found");
    }

    @Test
    void everyKindOfResponseIsNosniff() {
        State state = APP.startLogin();
        List<Function<Api, Http1ClientRequest>> requests = List.of(
                a -> a.get("/authorize"),
                a -> a.get("/redirect").queryParam("code", "c").queryParam("state", state.value()),
                a -> a.get("/redirect").queryParam("code", "c").queryParam("state", state.value())
                        .header(HeaderNames.ACCEPT, "text/html"),
                a -> a.get("/result").queryParam("state", state.value()),
                a -> a.get("/result"),
                a -> a.get("/done"),
                a -> a.get("/nope"),
                a -> a.request(Method.DELETE, "/authorize"),
                a -> a.post("/refresh").header(HeaderNames.CONTENT_TYPE, "text/plain"),
                a -> a.request(Method.OPTIONS, "/authorize").header(HeaderNames.ORIGIN, TestApi.FRONTEND)
                        .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "GET"),
                a -> a.request(Method.OPTIONS, "/authorize").header(HeaderNames.ORIGIN, "https://evil.example")
                        .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "GET"));

        List<Integer> statuses = new ArrayList<>();
        for (Function<Api, Http1ClientRequest> request : requests) {
            Reply reply = Api.send(request.apply(api));
            statuses.add(reply.status());
            assertThat(reply.header("X-Content-Type-Options")).as("status %d", reply.status()).hasValue("nosniff");
            assertThat(reply.header("Cache-Control")).as("status %d", reply.status()).hasValue("no-store");
        }
        assertThat(statuses).containsExactly(200, 303, 400, 200, 400, 200, 404, 405, 415, 204, 403);
    }

    @Test
    void unexpectedFailureIsLoggedWithoutRequestDataAndAnsweredGenerically() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(ErrorHandling.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            APP.soundCloud.answerRefreshWith(() -> {
                throw new IllegalStateException("bug");
            });

            Reply reply = api.postJson("/refresh", "{\"refresh_token\":\"rt-secret-value\"}");

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.error()).isEqualTo("internal_error");
            assertThat(reply.body()).doesNotContain("bug", "rt-secret-value");
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.getThrown()).hasMessage("bug");
                assertThat(record.getMessage()).doesNotContain("rt-secret-value", "/refresh");
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void routesBesideTheApiKeepTheirOwnAnswers() {
        Reply reply = Api.send(client.get("/health").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("ok");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(reply.header("Cache-Control")).isEmpty();
        assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void anUnknownPathOutsideTheApiIsANotFoundProblemThatSaysWhereTheApiIs() {
        for (String path : new String[] {"/", "/elsewhere", "/auth", "/auth/soundcloudx"}) {
            Reply reply = Api.send(client.get(path).header(HeaderNames.ORIGIN, TestApi.FRONTEND));

            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.header("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(reply.error()).as(path).isEqualTo("not_found");
            assertThat(reply.json().get("detail").asText()).contains("/auth/soundcloud", "/openapi");
            assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
            // Not the API: none of its headers, no CORS.
            assertThat(reply.header("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void aBrowserOutsideTheApiGetsAPageThatSaysWhereTheApiIs() {
        Reply reply = Api.send(client.get("/").header(HeaderNames.ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(reply.body()).contains("404 Not Found", "/auth/soundcloud", "href=\"/openapi\"");
        assertThat(reply.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'").doesNotContain("script-src"));
    }

    @Test
    void anotherMethodOnTheContractIs405WithAllow() {
        Reply reply = Api.send(client.post("/openapi"));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET");
        assertThat(reply.error()).isEqualTo("method_not_allowed");
    }

    @Test
    void aFailureBesideTheApiIsAGenericProblemWithoutTheApisHeaders() {
        Reply broken = Api.send(client.get("/health/broken").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(broken.status()).isEqualTo(500);
        assertThat(broken.header("Content-Type")).hasValue("application/problem+json");
        assertThat(broken.error()).isEqualTo("internal_error");
        assertThat(broken.body()).doesNotContain("not ours");
        assertThat(broken.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(broken.header("Content-Security-Policy")).isEmpty();
    }
}
