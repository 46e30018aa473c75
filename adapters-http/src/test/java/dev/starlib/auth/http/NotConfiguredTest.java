package dev.starlib.auth.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without CLIENT_ID/CLIENT_SECRET the service still starts, and says what to set. Not a {@link RouteTest}: the API
 * is mounted without use cases.
 */
abstract class NotConfiguredTest {

    private Api api;

    @RoutingTest
    static final class InMemory extends NotConfiguredTest {
    }

    @ServerTest
    static final class OnSocket extends NotConfiguredTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        PublicApi.register(routing, Optional.empty(), TestApi.CORS);
    }

    @BeforeEach
    void connect(Http1Client client) {
        api = new Api(client);
    }

    @ParameterizedTest
    @CsvSource({"GET, /authorize", "GET, /redirect", "GET, /result", "POST, /callback",
            "POST, /refresh"})
    void everyAuthEndpointAnswers503NotConfigured(String method, String path) {
        Reply reply = Api.send(api.request(Method.create(method), path)
                .header(HeaderNames.CONTENT_TYPE, "application/json"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("not_configured");
        assertThat(reply.detail())
                .isEqualTo("Set CLIENT_ID and CLIENT_SECRET (environment or .env file) and restart the service.");
    }

    @Test
    void donePageStillWorksAndClaimsNoSignIn() {
        Reply reply = Api.send(api.get("/done").queryParam("state", "a-state-this-service-never-issued-0123"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("This sign-in is not known here.").doesNotContain("Signed in");
        assertThat(Api.send(api.get("/done").queryParam("error", "access_denied")).body()).contains("Sign-in failed");
    }

    @Test
    void browsersOnAnAllowedOriginCanReadTheExplanation() {
        Reply reply = Api.send(api.get("/authorize").header(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void wrongMethodIsStill405() {
        Reply reply = Api.send(api.request(Method.DELETE, "/authorize"));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET, OPTIONS");
    }
}
