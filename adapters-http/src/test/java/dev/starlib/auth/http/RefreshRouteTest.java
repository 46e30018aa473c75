package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

abstract class RefreshRouteTest extends RouteTest {

    private static final String REFRESH = "{\"refresh_token\":\"refresh-token-1\"}";

    @RoutingTest
    static final class InMemory extends RefreshRouteTest {
    }

    @ServerTest
    static final class OnSocket extends RefreshRouteTest {
    }

    @Test
    void refreshAnswersTheNewTokens() {
        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("access_token").asText()).isEqualTo("access-token-2");
        assertThat(reply.json().path("refresh_token").asText()).isEqualTo("refresh-token-2");
        assertThat(reply.json().path("expires_in").asLong()).isEqualTo(3599);
        assertThat(reply.json().has("user")).isFalse();
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Pragma")).hasValue("no-cache");
    }

    @Test
    void deadRefreshTokenIs401SoTheUserSignsInAgain() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Rejected<>("invalid_grant", 400));

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("invalid_grant");
        assertThat(reply.detail()).containsIgnoringCase("sign in again");
        assertThat(reply.body()).doesNotContain("refresh-token-1");
    }

    @Test
    void soundCloudDownIs502SoTheClientRetries() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.error()).isEqualTo("upstream_unavailable");
    }

    @Test
    void soundCloudTooSlowIs504() {
        APP.soundCloud.answerRefreshWith(UpstreamResult.TimedOut::new);

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.error()).isEqualTo("upstream_timeout");
    }

    @Test
    void rejectedClientCredentialsAre502InvalidClient() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Rejected<>("invalid_client", 401));

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.error()).isEqualTo("invalid_client");
    }

    @Test
    void aRetryWithTheOldTokenWithinTheWindowGetsTheSamePairWithoutAskingSoundCloud() {
        Reply first = api.postJson("/refresh", REFRESH);
        APP.clock.advance(Duration.ofSeconds(30));
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Rejected<>("invalid_grant", 400));

        Reply again = api.postJson("/refresh", REFRESH);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("refresh_token").asText()).isEqualTo(first.json().path("refresh_token").asText());
        assertThat(again.json().path("expires_in").asLong()).isEqualTo(3599 - 30);
        assertThat(APP.soundCloud.refreshed()).hasSize(1);
    }

    @Test
    void soundCloudSayingSlowDownWithAResetIs503WithRetryAfterNever401() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.RateLimited<>(
                Optional.of(Duration.ofMillis(41_500))));

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("upstream_unavailable");
        assertThat(reply.header("Retry-After")).hasValue("42");
    }

    @Test
    void soundCloudSayingSlowDownWithoutAResetIs502() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.RateLimited<>(Optional.empty()));

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.header("Retry-After")).isEmpty();
    }

    @Test
    void anOutageOpensTheBreakerAndThenRefreshesFailFastWithRetryAfter() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int i = 0; i < 3; i++) {
            assertThat(api.postJson("/refresh", "{\"refresh_token\":\"client-" + i + "\"}").status()).isEqualTo(502);
        }

        Reply failedFast = api.postJson("/refresh", REFRESH);
        APP.clock.advance(Duration.ofSeconds(4));
        Reply later = api.postJson("/refresh", "{\"refresh_token\":\"yet-another\"}");

        assertThat(failedFast.status()).isEqualTo(503);
        assertThat(failedFast.error()).isEqualTo("upstream_unavailable");
        assertThat(failedFast.header("Retry-After")).hasValue("10");
        assertThat(later.header("Retry-After")).hasValue("6");
        assertThat(APP.soundCloud.refreshed()).hasSize(3);
    }

    @Test
    void aProbeThatGetsAnAnswerClosesTheBreaker() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int i = 0; i < 3; i++) {
            api.postJson("/refresh", "{\"refresh_token\":\"client-" + i + "\"}");
        }
        APP.clock.advance(Duration.ofSeconds(10));
        APP.soundCloud.reset();

        assertThat(api.postJson("/refresh", REFRESH).status()).as("the probe").isEqualTo(200);
        assertThat(api.postJson("/refresh", "{\"refresh_token\":\"next\"}").status()).isEqualTo(200);
    }

    @Test
    void aDeadGrantNeverOpensTheBreaker() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Rejected<>("invalid_grant", 400));
        for (int i = 0; i < 10; i++) {
            assertThat(api.postJson("/refresh", "{\"refresh_token\":\"dead-" + i + "\"}").status()).isEqualTo(401);
        }

        assertThat(APP.soundCloud.refreshed()).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"refresh_token\":null}", "{\"refresh_token\":\"\"}", "{\"refresh_token\":7}",
            "{\"refresh_token\":\"has space\"}", "{\"token\":\"refresh-token-1\"}"})
    void missingOrInvalidRefreshTokenIsAnInvalidRequest(String json) {
        Reply reply = api.postJson("/refresh", json);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @Test
    void formEncodedRefreshIsUnsupported() {
        Reply reply = Api.submit(api.post("/refresh")
                .header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"), "refresh_token=refresh-token-1");

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).isEqualTo("unsupported_media_type");
    }

    @Test
    void unexpectedFailureIsAGeneric500WithoutItsMessage() {
        APP.soundCloud.answerRefreshWith(() -> {
            throw new IllegalStateException("boom with refresh-token-1");
        });

        Reply reply = api.postJson("/refresh", REFRESH);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error()).isEqualTo("internal_error");
        assertThat(reply.body()).doesNotContain("boom", "refresh-token-1", "IllegalStateException", "at dev.");
    }
}
