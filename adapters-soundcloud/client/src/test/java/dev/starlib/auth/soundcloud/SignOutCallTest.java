package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.SessionEnd;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_SECRET;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.SIGN_OUT_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /sign-out} on the API host, as SoundCloud's OpenAPI document lists it (soundcloud/api#421). */
class SignOutCallTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();

    private UpstreamResult<SessionEnd> signOut(Duration timeout) {
        return new SoundCloudClient(FakeSoundCloud.settings(soundCloud, timeout), events).signOut(ACCESS);
    }

    private UpstreamResult<SessionEnd> signOut() {
        return signOut(Duration.ofSeconds(10));
    }

    @Test
    void sendsTheAccessTokenInSoundCloudsSchemeAndNoBodyToTheApiHost() {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(aResponse().withStatus(200)));

        signOut();

        LoggedRequest request = soundCloud.findAll(postRequestedFor(urlPathEqualTo(SIGN_OUT_PATH))).getFirst();
        assertThat(request.getHeader("Authorization")).isEqualTo("OAuth " + ACCESS.value());
        assertThat(request.getBodyAsString()).isEmpty();
        assertThat(request.getBodyAsString() + request.getAllHeaderKeys()).doesNotContain(CLIENT_SECRET);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204})
    void aSuccessEndedTheSession(int status) {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(status == 200
                ? okJson("{\"status\":\"Status(200) - OK\"}") : aResponse().withStatus(204)));

        assertThat(signOut()).isEqualTo(new UpstreamResult.Success<>(SessionEnd.ENDED));
        assertThat(events.upstreamCalls).singleElement().satisfies(call -> {
            assertThat(call.endpoint()).isEqualTo(UpstreamEndpoint.SIGN_OUT);
            assertThat(call.outcome()).isEqualTo("success");
        });
    }

    @Test
    void aTokenSoundCloudNoLongerKnowsMeansTheSessionIsGoneAlready() {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":401,\"message\":\"invalid_token\"}")));

        assertThat(signOut()).isEqualTo(new UpstreamResult.Success<>(SessionEnd.ALREADY_INVALID));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 404, 403})
    void anythingElseLeavesTheSessionPossiblyAlive(int status) {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(aResponse().withStatus(status)));

        assertThat(signOut()).isEqualTo(new UpstreamResult.Unavailable<>("HTTP " + status));
        assertThat(soundCloud.findAll(postRequestedFor(urlPathEqualTo(SIGN_OUT_PATH)))).hasSize(1);
    }

    @Test
    void aResetConnectionIsUnavailable() {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(signOut()).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));
    }

    @Test
    void aSlowSoundCloudTimesOut() {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(3_000)));

        assertThat(signOut(Duration.ofMillis(300))).isEqualTo(new UpstreamResult.TimedOut<>());
    }

    @Test
    void tooManyRequestsIsRateLimited() {
        soundCloud.stubFor(post(urlPathEqualTo(SIGN_OUT_PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "12")));

        assertThat(signOut()).isEqualTo(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(12))));
    }
}
