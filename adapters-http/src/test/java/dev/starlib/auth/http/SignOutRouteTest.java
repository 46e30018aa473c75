package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SoundCloud.SessionEnd;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

abstract class SignOutRouteTest extends RouteTest {

    private static final String SIGN_OUT = "{\"access_token\":\"access-token-2\",\"refresh_token\":\"refresh-token-2\"}";

    @RoutingTest
    static final class InMemory extends SignOutRouteTest {
    }

    @ServerTest
    static final class OnSocket extends SignOutRouteTest {
    }

    @Test
    void signOutThatSoundCloudConfirmsIs204WithNoBody() {
        Reply reply = api.postJson("/sign-out", SIGN_OUT);

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(APP.soundCloud.signedOut()).containsExactly(new AccessToken("access-token-2"));
    }

    @Test
    void aTokenSoundCloudNoLongerKnowsIsSignedOutAllTheSame() {
        APP.soundCloud.answerSignOutWith(() -> new UpstreamResult.Success<>(SessionEnd.ALREADY_INVALID));

        assertThat(api.postJson("/sign-out", "{\"access_token\":\"long-expired\"}").status()).isEqualTo(204);
    }

    @Test
    void soundCloudDownIs502SoTheFrontendKnowsTheSessionMayLive() {
        APP.soundCloud.answerSignOutWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));

        Reply reply = api.postJson("/sign-out", SIGN_OUT);

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.error()).isEqualTo("upstream_unavailable");
        assertThat(reply.body()).doesNotContain("access-token-2", "refresh-token-2");
    }

    @Test
    void soundCloudTooSlowIs504() {
        APP.soundCloud.answerSignOutWith(UpstreamResult.TimedOut::new);

        Reply reply = api.postJson("/sign-out", SIGN_OUT);

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.error()).isEqualTo("upstream_timeout");
        assertThat(reply.detail()).contains("may still be active");
    }

    @Test
    void soundCloudSayingSlowDownIs503WithRetryAfter() {
        APP.soundCloud.answerSignOutWith(() -> new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(20))));

        Reply reply = api.postJson("/sign-out", SIGN_OUT);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("upstream_unavailable");
        assertThat(reply.header("Retry-After")).hasValue("20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"access_token\":null}", "{\"access_token\":\"\"}", "{\"access_token\":7}",
            "{\"access_token\":\"has space\"}", "{\"refresh_token\":\"refresh-token-2\"}",
            "{\"access_token\":\"a\",\"refresh_token\":7}", "{\"access_token\":\"a\",\"refresh_token\":\"has space\"}",
            "[\"access_token\"]"})
    void aBadBodyIsAnInvalidRequestAndSoundCloudIsNotAsked(String json) {
        Reply reply = api.postJson("/sign-out", json);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
        assertThat(APP.soundCloud.signedOut()).isEmpty();
    }

    @Test
    void aRefreshTokenLeftOutOrNullIsFine() {
        assertThat(api.postJson("/sign-out", "{\"access_token\":\"access-token-2\",\"refresh_token\":null}").status())
                .isEqualTo(204);
    }

    @Test
    void noPairRememberedForTheSignedOutRefreshTokenIsHandedOutAfterwards() {
        Reply first = api.postJson("/refresh", "{\"refresh_token\":\"refresh-token-2\"}");
        assertThat(first.status()).isEqualTo(200);

        api.postJson("/sign-out", SIGN_OUT);
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Rejected<>("invalid_grant", 400));

        assertThat(api.postJson("/refresh", "{\"refresh_token\":\"refresh-token-2\"}").status()).isEqualTo(401);
        assertThat(APP.soundCloud.refreshed()).hasSize(2);
    }

    @Test
    void aBrowserOnAnAllowedOriginCanReadTheAnswer() {
        Reply preflight = Api.send(api.request(io.helidon.http.Method.OPTIONS, "/sign-out")
                .header(HeaderValues.create(HeaderNames.ORIGIN, TestApi.FRONTEND))
                .header(HeaderValues.create(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST")));
        Reply reply = api.postJson("/sign-out", SIGN_OUT, HeaderValues.create(HeaderNames.ORIGIN, TestApi.FRONTEND));

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue(TestApi.FRONTEND);
    }

    @Test
    void getIsNotAllowed() {
        Reply reply = Api.send(api.get("/sign-out"));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("POST, OPTIONS");
    }
}
