package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static org.assertj.core.api.Assertions.assertThat;

/** Everything other than a readable answer, for each of the calls: never a retry, never a success. */
class UpstreamFailureTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();

    private UpstreamResult<?> call(Call call, Duration timeout) {
        return call.on(new SoundCloudClient(FakeSoundCloud.settings(soundCloud, timeout), events));
    }

    private UpstreamResult<?> call(Call call) {
        return call(call, Duration.ofSeconds(10));
    }

    private void assertReported(Call call, String outcome) {
        assertThat(events.upstreamCalls).singleElement().satisfies(reported -> {
            assertThat(reported.endpoint()).isEqualTo(call.endpoint);
            assertThat(reported.outcome()).isEqualTo(outcome);
        });
    }

    static Stream<Arguments> callsAndStatuses(int... statuses) {
        return Arrays.stream(Call.values())
                .flatMap(call -> IntStream.of(statuses).mapToObj(status -> Arguments.of(call, status)));
    }

    static Stream<Arguments> serverErrors() {
        return callsAndStatuses(500, 502, 503, 504);
    }

    static Stream<Arguments> otherClientErrors() {
        return callsAndStatuses(403, 404, 405);
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void connectionResetIsUnavailableAsAFailedConnection(Call call) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));
    }

    static Stream<Arguments> brokenConnections() {
        return Arrays.stream(Call.values()).flatMap(call -> Stream.of(Fault.CONNECTION_RESET_BY_PEER,
                Fault.EMPTY_RESPONSE, Fault.MALFORMED_RESPONSE_CHUNK, Fault.RANDOM_DATA_THEN_CLOSE)
                .map(fault -> Arguments.of(call, fault)));
    }

    @ParameterizedTest
    @MethodSource("serverErrors")
    void serverErrorIsUnavailableAndAskedExactlyOnce(Call call, int status) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"server_error\"}")));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("HTTP " + status));
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
        assertReported(call, "unavailable");
    }

    @ParameterizedTest
    @MethodSource("otherClientErrors")
    void clientErrorOtherThanAnOAuthErrorIsUnavailable(Call call, int status) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("HTTP " + status));
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
    }

    /** Whatever the body says, a 429 is "slow down", never a dead grant: the user must not be signed out for it. */
    @ParameterizedTest
    @EnumSource(Call.class)
    void tooManyRequestsIsRateLimitedNeverARefusal(Call call) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"code":429,"message":"invalid_grant","error":"invalid_grant","error_code":"invalid_grant"}""")));

        assertThat(call(call)).isEqualTo(new UpstreamResult.RateLimited<>(java.util.Optional.empty()));
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
        assertReported(call, "rate_limited");
    }

    /** SoundCloud says 429 with its own body; Retry-After, when sent, may say later. */
    @ParameterizedTest
    @EnumSource(Call.class)
    void tooManyRequestsIsRateLimitedUntilTheResetTimeAndAskedOnce(Call call) {
        java.time.ZonedDateTime reset = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).withNano(0);
        soundCloud.stubFor(call.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"errors":[{"meta":{"rate_limit":{"group":"client_credentials","max_nr_of_requests":50,\
                        "time_window":"PT12H"},"remaining_requests":0,"reset_time":"%s"}}]}""".formatted(
                        java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z").format(reset)))));

        UpstreamResult<?> result = call(call);

        assertThat(result).isInstanceOfSatisfying(UpstreamResult.RateLimited.class, limited ->
                assertThat(limited.retryAfter()).hasValueSatisfying(wait -> assertThat((Duration) wait)
                        .isBetween(Duration.ofMinutes(119), Duration.ofMinutes(120))));
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
        assertReported(call, "rate_limited");
    }

    @ParameterizedTest
    @MethodSource("brokenConnections")
    void brokenConnectionIsUnavailableAndNotRetried(Call call, Fault fault) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withFault(fault)));

        // A 200 followed by garbage reads as an unreadable answer, a cut connection as a failed one.
        assertThat(call(call)).isInstanceOf(UpstreamResult.Unavailable.class);
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
        assertReported(call, "unavailable");
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void refusedConnectionIsUnavailable(Call call) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SoundCloudClient client = new SoundCloudClient(
                FakeSoundCloud.settings("http://localhost:" + closedPort, Duration.ofSeconds(10)), events);

        assertThat(call.on(client)).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));
        assertReported(call, "unavailable");
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void certificateThatIsNotTrustedIsUnavailable(Call call) {
        soundCloud.stubFor(call.stub().willReturn(okJson(call.successBody)));
        SoundCloudClient client = new SoundCloudClient(FakeSoundCloud.settings(
                "https://localhost:" + soundCloud.getHttpsPort(), Duration.ofSeconds(10)), events);

        assertThat(call.on(client)).isEqualTo(new UpstreamResult.Unavailable<>("tls failure"));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void answerLateBeyondTheTimeoutTimesOut(Call call) {
        soundCloud.stubFor(call.stub().willReturn(okJson(call.successBody).withFixedDelay(3_000)));

        long started = System.nanoTime();
        UpstreamResult<?> result = call(call, SHORT_TIMEOUT);

        assertThat(result).isEqualTo(new UpstreamResult.TimedOut<>());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
        assertThat(FakeSoundCloud.received(soundCloud, call)).hasSize(1);
        assertReported(call, "timeout");
    }

    /** Each piece arrives well within the timeout, the whole answer does not: the timeout bounds the call. */
    @ParameterizedTest
    @EnumSource(Call.class)
    void answerDribbledSlowerThanTheTimeoutTimesOut(Call call) {
        soundCloud.stubFor(call.stub().willReturn(okJson(call.successBody).withChunkedDribbleDelay(25, 5_000)));

        long started = System.nanoTime();
        UpstreamResult<?> result = call(call, Duration.ofMillis(600));

        assertThat(result).isEqualTo(new UpstreamResult.TimedOut<>());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
        assertReported(call, "timeout");
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void hugeAnswerIsUnavailable(Call call) {
        String padding = " ".repeat(BoundedExchange.MAX_BODY_BYTES);
        soundCloud.stubFor(call.stub().willReturn(okJson(call.successBody + padding)));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("response too large"));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void answerJustWithinTheSizeLimitIsRead(Call call) {
        String padding = " ".repeat(BoundedExchange.MAX_BODY_BYTES - call.successBody.length());
        soundCloud.stubFor(call.stub().willReturn(okJson(call.successBody + padding)));

        assertThat(call(call)).isInstanceOf(UpstreamResult.Success.class);
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void redirectIsNotFollowed(Call call) {
        soundCloud.stubFor(call.stub().willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + soundCloud.getPort() + "/elsewhere")));
        soundCloud.stubFor(any(urlPathEqualTo("/elsewhere"))
                .willReturn(okJson(call.successBody)));

        assertThat(call(call)).isEqualTo(new UpstreamResult.Unavailable<>("HTTP 302"));
        assertThat(soundCloud.findAll(anyRequestedFor(urlPathEqualTo("/elsewhere")))).isEmpty();
        assertThat(soundCloud.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }
}
