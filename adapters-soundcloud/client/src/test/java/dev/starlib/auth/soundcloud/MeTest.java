package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.SoundCloudUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.USER_JSON;
import static org.assertj.core.api.Assertions.assertThat;

class MeTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();

    private UpstreamResult<SoundCloudUser> me() {
        return new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)), events).me(ACCESS);
    }

    private UpstreamResult<SoundCloudUser> meAnswering(String body) {
        soundCloud.stubFor(Call.ME.stub().willReturn(okJson(body)));
        return me();
    }

    private static SoundCloudUser user(UpstreamResult<SoundCloudUser> result) {
        assertThat(result).isInstanceOf(UpstreamResult.Success.class);
        return ((UpstreamResult.Success<SoundCloudUser>) result).value();
    }

    @Test
    void asksWithTheAccessTokenInSoundCloudsOAuthScheme() {
        soundCloud.stubFor(Call.ME.stub().willReturn(okJson(USER_JSON)));

        me();

        LoggedRequest request = FakeSoundCloud.received(soundCloud, Call.ME).getFirst();
        assertThat(request.getHeader("Authorization")).isEqualTo("OAuth " + ACCESS.value());
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getQueryParams()).isEmpty();
    }

    @Test
    void readsTheUser() {
        SoundCloudUser user = user(meAnswering(USER_JSON));

        assertThat(user.id()).isEqualTo(4711);
        assertThat(user.username()).isEqualTo("Nightcore Fan");
        assertThat(user.permalink()).isEqualTo("nightcore-fan");
        assertThat(user.avatarUrl()).isEqualTo("https://i1.sndcdn.com/avatars-000-large.jpg");
        assertThat(events.upstreamCalls).singleElement().satisfies(call -> {
            assertThat(call.endpoint()).isEqualTo(UpstreamEndpoint.ME);
            assertThat(call.outcome()).isEqualTo("success");
        });
    }

    @Test
    void idGivenAsStringIsAccepted() {
        assertThat(user(meAnswering("""
                {"id":"123","username":"u"}""")).id()).isEqualTo(123);
    }

    @Test
    void withoutIdTheIdComesFromTheUrn() {
        SoundCloudUser user = user(meAnswering("""
                {"urn":"soundcloud:users:987654321","username":"urn only"}"""));

        assertThat(user.id()).isEqualTo(987654321L);
        assertThat(user.permalink()).isNull();
        assertThat(user.avatarUrl()).isNull();
    }

    @Test
    void optionalFieldsOfTheWrongTypeAreDropped() {
        SoundCloudUser user = user(meAnswering("""
                {"id":5,"username":"u","permalink":7,"avatar_url":{"large":"x"}}"""));

        assertThat(user.permalink()).isNull();
        assertThat(user.avatarUrl()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":5}",
            "{\"id\":5,\"username\":\"\"}",
            "{\"id\":5,\"username\":17}",
            "{\"username\":\"no id at all\"}",
            "{\"id\":0,\"username\":\"u\"}",
            "{\"id\":-3,\"username\":\"u\"}",
            "{\"id\":1.5,\"username\":\"u\"}",
            "{\"id\":\"12a\",\"username\":\"u\"}",
            "{\"id\":true,\"username\":\"u\"}",
            "{\"id\":\"abc\",\"urn\":\"soundcloud:users:5\",\"username\":\"u\"}",
            "{\"urn\":\"soundcloud:tracks:5\",\"username\":\"u\"}",
            "{\"urn\":\"soundcloud:users:\",\"username\":\"u\"}",
            "[{\"id\":5,\"username\":\"u\"}]",
            "<html>maintenance</html>"})
    void userAnswerThatCannotBeTrustedIsUnavailable(String body) {
        assertThat(meAnswering(body)).isEqualTo(new UpstreamResult.Unavailable<>("unreadable user response"));
    }

    @Test
    void rejectedAccessTokenIsRejected() {
        soundCloud.stubFor(Call.ME.stub().willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":"invalid_token"}""")));

        assertThat(me()).isEqualTo(new UpstreamResult.Rejected<>("invalid_token", 401));
    }
}
