package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shape in which SoundCloud has said "this grant is dead" (or "this client is refused"), and its 429s, for the
 * code exchange and the refresh alike: the shape must not decide whether the user is asked to sign in again.
 */
class ErrorShapesTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private UpstreamResult<?> call(Call call) {
        return call.on(new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)),
                new RecordingEvents()));
    }

    /** The current token host (soundcloud/api#322, #395), the older one (#80, #169), and SoundCloud's OpenAPI examples. */
    static Stream<Arguments> deadGrantShapes() {
        return Stream.of(Call.CODE_EXCHANGE, Call.REFRESH).flatMap(call -> Stream.of("invalid_grant", "invalid_client")
                .flatMap(error -> Stream.of(
                        Arguments.of(call, error, 400, "{\"error\":\"" + error + "\"}"),
                        Arguments.of(call, error, 401, "{\"code\":401,\"message\":\"" + error + "\",\"link\":"
                                + "\"https://developers.soundcloud.com/docs/api/explorer/open-api\",\"status\":"
                                + "\"401 - Unauthorized\",\"errors\":[{\"error_message\":\"" + error + "\"}],"
                                + "\"error\":null,\"error_code\":\"" + error + "\"}"),
                        Arguments.of(call, error, 400, "{\"code\":400,\"message\":\"" + error + "\",\"link\":"
                                + "\"https://developers.soundcloud.com/docs/api/guide#authentication\"}"),
                        Arguments.of(call, error, 401, "{\"code\":401,\"message\":\"" + error + "\",\"link\":"
                                + "\"https://developers.soundcloud.com/docs/api/guide#authentication\"}"))));
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("deadGrantShapes")
    void everyShapeOfARefusalIsRead(Call call, String error, int status, String body) {
        soundCloud.stubFor(call.stub().willReturn(json(status, body)));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Rejected<>(error, status));
    }

    static Stream<Arguments> messagesThatAreNoErrorCode() {
        return Stream.of(Call.CODE_EXCHANGE, Call.REFRESH).flatMap(call -> Stream.of(
                Arguments.of(call, "{\"code\":400,\"message\":\"Detailed message of errors, when available\"}"),
                Arguments.of(call, "{\"code\":400,\"message\":\"rate_limit_exceeded\"}")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("messagesThatAreNoErrorCode")
    void aMessageCountsOnlyWhenItIsAnOAuthErrorCode(Call call, String body) {
        soundCloud.stubFor(call.stub().willReturn(json(400, body)));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("HTTP 400"));
    }

    static Stream<Arguments> rateLimits() {
        String inAMinute = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        String soundCloudReset = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(600)
                .format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z"));
        String resetBody = "{\"errors\":[{\"meta\":{\"rate_limit\":{\"bucket\":\"by-ip\",\"max_nr_of_requests\":30,"
                + "\"time_window\":\"PT1H\",\"name\":\"client-credentials-exchange\"},\"remaining_requests\":0,"
                + "\"reset_time\":\"" + soundCloudReset + "\"}}]}";
        String plainBody = "{\"code\":429,\"message\":\"rate_limit_exceeded\",\"error_code\":\"rate_limit_exceeded\"}";
        return Stream.of(Call.CODE_EXCHANGE, Call.REFRESH).flatMap(call -> Stream.of(
                Arguments.of(call, "Retry-After: 30", Optional.of("30"), plainBody, Optional.of(Duration.ofSeconds(30))),
                Arguments.of(call, "Retry-After: an HTTP date", Optional.of(inAMinute), plainBody,
                        Optional.of(Duration.ofSeconds(89))),
                Arguments.of(call, "reset_time in the body", Optional.empty(), resetBody,
                        Optional.of(Duration.ofSeconds(599))),
                Arguments.of(call, "a day away: capped", Optional.of("86400"), plainBody, Optional.of(RateLimitReset.LONGEST)),
                Arguments.of(call, "no reset", Optional.empty(), plainBody, Optional.empty()),
                Arguments.of(call, "a reset that is no time", Optional.of("soon"), "{}", Optional.empty())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rateLimits")
    void aRateLimitSaysWhenItEndsWhenSoundCloudDoes(Call call, String name, Optional<String> retryAfter, String body,
                                                    Optional<Duration> expected) {
        var response = json(429, body);
        retryAfter.ifPresent(value -> response.withHeader("Retry-After", value));
        soundCloud.stubFor(call.stub().willReturn(response));

        UpstreamResult<?> result = call(call);

        assertThat(result).isInstanceOf(UpstreamResult.RateLimited.class);
        Optional<Duration> wait = ((UpstreamResult.RateLimited<?>) result).retryAfter();
        assertThat(wait.isPresent()).isEqualTo(expected.isPresent());
        // An HTTP date has whole seconds, and the call takes a moment: within two seconds of what was said.
        expected.ifPresent(seconds -> assertThat(wait.get()).isBetween(seconds.minusSeconds(2), seconds.plusSeconds(1)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }
}
