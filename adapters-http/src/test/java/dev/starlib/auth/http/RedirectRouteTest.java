package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

abstract class RedirectRouteTest extends RouteTest {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @RoutingTest
    static final class InMemory extends RedirectRouteTest {
    }

    /** Percent-encoded bytes that are not UTF-8 go raw (Helidon's client would encode them again): socket only. */
    @ServerTest
    static final class OnSocket extends RedirectRouteTest {

        private final int port;

        OnSocket(WebServer server) {
            this.port = server.port();
        }

        @Test
        void percentEncodedBytesThatAreNotUtf8AreAnInvalidRequest() throws IOException {
            State state = APP.startLogin();

            Reply reply = RawHttp.get(port, TestApi.ROOT + "/redirect?code=%FF%FE&state=" + state.value());

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_request");
        }
    }

    private Http1ClientRequest redirect() {
        return api.get("/redirect");
    }

    @Test
    void approvedLoginSendsTheBrowserBackWithTheStateAndWithoutTheCode() {
        State state = APP.startLogin(TestApi.FRONTEND_CALLBACK + "?flow=desktop");

        Reply reply = Api.send(redirect().queryParam("code", "sc-code-123").queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(303);
        URI location = URI.create(reply.header("Location").orElseThrow());
        assertThat(location.getPath()).isEqualTo("/auth/soundcloud/callback");
        assertThat(location.getRawQuery()).isEqualTo("flow=desktop&state=" + state.value());
        assertThat(location.toString()).doesNotContain("sc-code-123", "access-token");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Referrer-Policy")).hasValue("no-referrer");
        assertThat(APP.soundCloud.exchangedCodes()).containsExactly("sc-code-123");
    }

    @Test
    void refusalOnSoundCloudSendsTheBrowserBackWithTheError() {
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("error", "access_denied")
                .queryParam("error_description", "The user denied access").queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(303);
        String query = URI.create(reply.header("Location").orElseThrow()).getRawQuery();
        assertThat(query).contains("error=access_denied", "error_description=The%20user%20denied%20access",
                "state=" + state.value());
        assertThat(APP.soundCloud.exchangedCodes()).isEmpty();
    }

    @Test
    void failedExchangeStillSendsTheBrowserBackWithTheFailure() {
        APP.soundCloud.answerExchangeWith(() -> new UpstreamResult.Rejected<>("invalid_grant", 400));
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("code", "stale").queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(303);
        assertThat(reply.header("Location").orElseThrow()).contains("error=invalid_grant", "state=" + state.value());
    }

    @Test
    void replayedStateIsRejectedWithProblemJsonForApiClients() {
        State state = APP.startLogin();
        Api.send(redirect().queryParam("code", "first").queryParam("state", state.value()));

        Reply replay = Api.send(redirect().queryParam("code", "second").queryParam("state", state.value())
                .header(HeaderNames.ACCEPT, "application/json"));

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.header("Content-Type")).hasValue("application/problem+json");
        assertThat(replay.error()).isEqualTo("invalid_state");
        assertThat(replay.detail()).isEqualTo(StateRejection.ALREADY_USED.detail());
        assertThat(APP.soundCloud.exchangedCodes()).containsExactly("first");
    }

    @Test
    void unknownStateShowsBrowsersAShortPage() {
        String unknown = "unknown-state-0123456789abcdef";

        Reply reply = Api.send(redirect().queryParam("code", "sc-code-123").queryParam("state", unknown)
                .header(HeaderNames.ACCEPT, BROWSER_ACCEPT));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(reply.body()).contains(StateRejection.UNKNOWN.detail()).contains("<!DOCTYPE html>");
        assertThat(reply.body()).doesNotContain(unknown, "sc-code-123");
        assertThat(reply.header("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'"));
    }

    @Test
    void clientsThatAcceptAnythingGetProblemJson() {
        Reply reply = Api.send(redirect().queryParam("code", "c").queryParam("state", "unknown-state-0123456789abcdef")
                .header(HeaderNames.ACCEPT, "*/*"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void stateThatWaitedTooLongIsRejectedAsExpired() {
        State state = APP.startLogin();
        APP.clock.advance(TestApi.PENDING_TTL.plus(Duration.ofSeconds(1)));

        Reply reply = Api.send(redirect().queryParam("code", "late").queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_state");
        assertThat(reply.detail()).isEqualTo(StateRejection.EXPIRED.detail());
    }

    @Test
    void missingStateIsAnInvalidRequest() {
        Reply reply = Api.send(redirect().queryParam("code", "c"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void repeatedStateIsAnInvalidRequestAndConsumesNothing() {
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("code", "c").queryParam("state", state.value(), state.value()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(APP.soundCloud.exchangedCodes()).isEmpty();
        assertThat(Api.send(redirect().queryParam("code", "c").queryParam("state", state.value())).status()).isEqualTo(303);
    }

    @Test
    void malformedStateIsAnInvalidState() {
        Reply reply = Api.send(redirect().queryParam("code", "c").queryParam("state", "too-short"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_state");
    }

    @Test
    void redirectWithNeitherCodeNorErrorIsAnInvalidRequest() {
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void redirectWithBothCodeAndErrorIsAnInvalidRequest() {
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("code", "c").queryParam("error", "access_denied")
                .queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(APP.soundCloud.exchangedCodes()).isEmpty();
    }

    @Test
    void repeatedCodeIsAnInvalidRequest() {
        State state = APP.startLogin();

        Reply reply = Api.send(redirect().queryParam("code", "a", "b").queryParam("state", state.value()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }
}
