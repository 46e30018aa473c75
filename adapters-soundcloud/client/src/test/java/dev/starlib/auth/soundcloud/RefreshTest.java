package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_ID;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_SECRET;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.PRESENTED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.REDIRECT_URI;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.TOKEN_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class RefreshTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();

    private UpstreamResult<Tokens> refresh() {
        return new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)), events)
                .refresh(PRESENTED_REFRESH);
    }

    private static Tokens tokens(UpstreamResult<Tokens> result) {
        assertThat(result).isInstanceOf(UpstreamResult.Success.class);
        return ((UpstreamResult.Success<Tokens>) result).value();
    }

    @Test
    void sendsTheRefreshTokenGrantSoundCloudExpects() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson(TOKEN_JSON)));

        refresh();

        LoggedRequest request = FakeSoundCloud.received(soundCloud, Call.REFRESH).getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(FakeSoundCloud.form(request)).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("refresh_token", PRESENTED_REFRESH.value()),
                entry("redirect_uri", REDIRECT_URI),
                entry("client_id", CLIENT_ID),
                entry("client_secret", CLIENT_SECRET));
    }

    @Test
    void theNewRefreshTokenReplacesThePresentedOne() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson(TOKEN_JSON)));

        Tokens tokens = tokens(refresh());

        assertThat(tokens.accessToken().value()).isEqualTo(ISSUED_ACCESS);
        assertThat(tokens.refreshToken().value()).isEqualTo(ISSUED_REFRESH);
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(events.upstreamCalls).singleElement().satisfies(call -> {
            assertThat(call.endpoint()).isEqualTo(UpstreamEndpoint.TOKEN_REFRESH);
            assertThat(call.outcome()).isEqualTo("success");
        });
    }

    @Test
    void answerWithoutRefreshTokenKeepsThePresentedOne() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson("""
                {"access_token":"fresh-access","expires_in":"1800"}""")));

        Tokens tokens = tokens(refresh());

        assertThat(tokens.accessToken().value()).isEqualTo("fresh-access");
        assertThat(tokens.refreshToken()).isEqualTo(PRESENTED_REFRESH);
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refreshTokenOfTheWrongTypeIsUnavailable() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson("""
                {"access_token":"fresh-access","refresh_token":12345,"expires_in":1800}""")));

        assertThat(refresh()).isEqualTo(new UpstreamResult.Unavailable<>("unreadable token response"));
    }

    /** A refresh may outlast the client's wait (its answer is remembered for the retry); a code exchange may not. */
    @Test
    void aRefreshMayRunOnPastTheTimeoutUpToItsOwnBoundButACodeExchangeMayNot() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson(TOKEN_JSON).withFixedDelay(1_000)));
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(okJson(TOKEN_JSON).withFixedDelay(1_000)));
        SoundCloudClient client = new SoundCloudClient(FakeSoundCloud.settings("http://localhost:" + soundCloud.getPort(),
                Duration.ofMillis(300), Duration.ofSeconds(20)), events);

        assertThat(client.refresh(PRESENTED_REFRESH)).isInstanceOf(UpstreamResult.Success.class);
        assertThat(Call.CODE_EXCHANGE.on(client)).isEqualTo(new UpstreamResult.TimedOut<>());
    }

    @Test
    void usedRefreshTokenIsRejectedAsInvalidGrant() {
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":"invalid_grant","error_description":"refresh token already used"}""")));

        assertThat(refresh()).isEqualTo(new UpstreamResult.Rejected<>("invalid_grant", 400));
        assertThat(events.upstreamCalls).extracting(RecordingEvents.UpstreamCall::outcome).containsExactly("rejected");
    }
}
