package dev.starlib.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.State;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

abstract class ResultRouteTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends ResultRouteTest {
    }

    @ServerTest
    static final class OnSocket extends ResultRouteTest {
    }

    private Reply result(String state) {
        return Api.send(api.get("/result").queryParam("state", state));
    }

    /** SoundCloud sends the browser to /redirect with a code (approved) or an error (refused). */
    private void soundCloudRedirects(State state, String name, String value) {
        Reply redirect = Api.send(api.get("/redirect").queryParam(name, value).queryParam("state", state.value()));
        assertThat(redirect.status()).isEqualTo(303);
    }

    @Test
    void resultIsPendingThenReadyOnceThenGone() {
        State state = APP.startLogin();

        Reply pending = result(state.value());
        soundCloudRedirects(state, "code", "sc-code");
        Reply ready = result(state.value());
        Reply again = result(state.value());

        assertThat(pending.status()).isEqualTo(404);
        assertThat(pending.error()).isEqualTo("result_pending");
        assertThat(pending.detail()).containsIgnoringCase("poll again");
        assertThat(ready.status()).isEqualTo(200);
        JsonNode body = ready.json();
        assertThat(body.path("access_token").asText()).isEqualTo("access-token-1");
        assertThat(body.path("refresh_token").asText()).isEqualTo("refresh-token-1");
        assertThat(body.path("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.path("user").path("id").asLong()).isEqualTo(4242);
        assertThat(body.path("user").path("username").asText()).isEqualTo("Night Drive");
        assertThat(body.path("user").path("permalink").asText()).isEqualTo("night-drive");
        assertThat(body.path("user").path("avatar_url").asText()).startsWith("https://i1.sndcdn.com/");
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.error()).isEqualTo("already_picked_up");
    }

    @Test
    void tokensAreNeverCached() {
        State state = APP.startLogin();
        soundCloudRedirects(state, "code", "sc-code");

        Reply ready = result(state.value());

        assertThat(ready.header("Cache-Control")).hasValue("no-store");
        assertThat(ready.header("Pragma")).hasValue("no-cache");
    }

    @Test
    void expiresInCountsFromPickupNotFromTheExchange() {
        State state = APP.startLogin();
        soundCloudRedirects(state, "code", "sc-code");
        APP.clock.advance(Duration.ofSeconds(30));

        Reply ready = result(state.value());

        assertThat(ready.json().path("expires_in").asLong()).isEqualTo(3570);
    }

    @Test
    void refusedLoginIsReportedOnceWithItsStatus() {
        State state = APP.startLogin();
        soundCloudRedirects(state, "error", "access_denied");

        Reply failed = result(state.value());
        Reply again = result(state.value());

        assertThat(failed.status()).isEqualTo(403);
        assertThat(failed.header("Content-Type")).hasValue("application/problem+json");
        assertThat(failed.error()).isEqualTo("access_denied");
        assertThat(failed.json().path("status").asInt()).isEqualTo(403);
        assertThat(failed.json().path("title").asText()).isEqualTo("Forbidden");
        assertThat(failed.detail()).isNotBlank();
        assertThat(again.status()).isEqualTo(410);
    }

    @Test
    void upstreamTimeoutDuringTheExchangeIsReportedAs504() {
        APP.soundCloud.answerExchangeWith(UpstreamResult.TimedOut::new);
        State state = APP.startLogin();
        soundCloudRedirects(state, "code", "sc-code");

        Reply failed = result(state.value());

        assertThat(failed.status()).isEqualTo(504);
        assertThat(failed.error()).isEqualTo("upstream_timeout");
    }

    @Test
    void unknownStateIsNotFoundSoTheAppKeepsPolling() {
        Reply reply = result("never-issued-0123456789abcdef");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("result_pending");
    }

    @Test
    void malformedStateIsNotFoundToo() {
        Reply reply = result("<x>");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("result_pending");
        assertThat(reply.body()).doesNotContain("<x>");
    }

    @Test
    void missingStateIsAnInvalidRequest() {
        Reply reply = Api.send(api.get("/result"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void repeatedStateIsAnInvalidRequestAndHandsOutNothing() {
        State state = APP.startLogin();
        soundCloudRedirects(state, "code", "sc-code");

        Reply reply = Api.send(api.get("/result").queryParam("state", state.value(), "other-state-0123456789abcdef"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(result(state.value()).status()).isEqualTo(200);
    }

    @Test
    void brokenStoreIsReportedAs503WithWhenToRetry() {
        State state = APP.startLogin();
        APP.store.breakDown();

        Reply reply = result(state.value());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("store_unavailable");
        assertThat(reply.header("Retry-After")).contains("2");
    }
}
