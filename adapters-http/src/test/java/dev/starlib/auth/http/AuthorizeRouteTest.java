package dev.starlib.auth.http;

import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

abstract class AuthorizeRouteTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends AuthorizeRouteTest {
    }

    @ServerTest
    static final class OnSocket extends AuthorizeRouteTest {
    }

    @Test
    void startedLoginAnswersTheAuthorizationUrlTwiceAndTheState() {
        Reply reply = Api.send(api.get("/authorize").queryParam("return_to", TestApi.FRONTEND_CALLBACK));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        String authorizationUrl = reply.json().path("authorization_url").asText();
        String state = reply.json().path("state").asText();
        assertThat(reply.json().path("url").asText()).isEqualTo(authorizationUrl);
        assertThat(URI.create(authorizationUrl).getRawQuery())
                .contains("client_id=test-client-id", "response_type=code", "code_challenge_method=S256", "state=" + state);
        assertThat(state).hasSizeGreaterThanOrEqualTo(22);
    }

    @Test
    void withoutReturnToTheConfiguredDefaultIsUsed() {
        Reply reply = Api.send(api.get("/authorize"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("state").asText()).isNotEmpty();
    }

    @Test
    void tokenBearingAnswerIsNeverCached() {
        Reply reply = Api.send(api.get("/authorize"));

        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Pragma")).hasValue("no-cache");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/cb", "http://localhost:3001/cb", "javascript:alert(1)",
            "//evil.example/cb", "http://user@localhost:3000/cb", "http://localhost:3000\\@evil.example"})
    void foreignReturnToIsRejectedAndNothingIsStored(String returnTo) {
        Reply reply = Api.send(api.get("/authorize").queryParam("return_to", returnTo));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("invalid_return_to");
        assertThat(reply.detail()).isNotBlank();
        assertThat(APP.store.counts(APP.clock.instant()).total()).isZero();
    }

    @Test
    void emptyReturnToIsRejectedRatherThanDefaulted() {
        Reply reply = Api.send(api.get("/authorize").queryParam("return_to", ""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_return_to");
    }

    @Test
    void repeatedReturnToIsABadRequest() {
        Reply reply = Api.send(api.get("/authorize").queryParam("return_to", TestApi.FRONTEND_CALLBACK, TestApi.FRONTEND_CALLBACK));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void fullStoreAnswers503WithRetryAfter() {
        APP.store.reset(1);
        APP.startLogin();

        Reply reply = Api.send(api.get("/authorize"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("server_busy");
        assertThat(reply.header("Retry-After")).hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
    }

    @Test
    void brokenStoreAnswers503StoreUnavailable() {
        APP.store.breakDown();

        Reply reply = Api.send(api.get("/authorize"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("store_unavailable");
        assertThat(reply.header("Retry-After")).contains("2");
        assertThat(reply.body()).doesNotContain("disk full", "Exception");
    }
}
