package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.domain.Tokens;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

abstract class CallbackRouteTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends CallbackRouteTest {
    }

    /** A body without Content-Type, and chunked framing of our own, go as raw bytes: only a socket carries them. */
    @ServerTest
    static final class OnSocket extends CallbackRouteTest {

        private final int port;

        OnSocket(WebServer server) {
            this.port = server.port();
        }

        @Test
        void bodyWithoutContentTypeIsUnsupported() throws IOException {
            byte[] json = "{\"code\":\"c\",\"state\":\"never-issued-0123456789abcdef\"}".getBytes(StandardCharsets.UTF_8);

            Reply reply = RawHttp.send(port, "POST /auth/soundcloud/callback HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + json.length + "\r\nConnection: close\r\n\r\n", json);

            assertThat(reply.status()).isEqualTo(415);
            assertThat(reply.error()).isEqualTo("unsupported_media_type");
        }

        @Test
        void chunkedBodyOverTheLimitIsTooLargeAndClosesTheConnection() throws IOException {
            String json = "{\"code\":\"" + "a".repeat(64 * 1024) + "\",\"state\":\"never-issued-0123456789abcdef\"}";

            Reply reply = RawHttp.send(port, "POST /auth/soundcloud/callback HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(json, 1024));

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.error()).isEqualTo("payload_too_large");
            assertThat(reply.header("Connection")).hasValue("close");
        }

        @Test
        void smallChunkedBodyIsRead() throws IOException {
            State state = APP.startLogin();

            Reply reply = RawHttp.send(port, "POST /auth/soundcloud/callback HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                    chunked(body("sc-code", state), 16));

            assertThat(reply.status()).isEqualTo(200);
        }

        @Test
        void brokenChunkedFramingIsAnInvalidRequestNotAServerError() throws IOException {
            byte[] notChunked = "{\"code\":\"c\"}\r\n".getBytes(StandardCharsets.US_ASCII);

            Reply reply = RawHttp.send(port, "POST /auth/soundcloud/callback HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", notChunked);

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_request");
            assertThat(reply.header("Connection")).hasValue("close");
        }

        private static byte[] chunked(String text, int chunkSize) {
            StringBuilder out = new StringBuilder();
            for (int from = 0; from < text.length(); from += chunkSize) {
                String chunk = text.substring(from, Math.min(text.length(), from + chunkSize));
                out.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Reply callback(String json) {
        return api.postJson("/callback", json);
    }

    private static String body(String code, State state) {
        return "{\"code\":\"" + code + "\",\"state\":\"" + state.value() + "\"}";
    }

    @Test
    void directFlowAnswersTokensAndUser() {
        State state = APP.startLogin();

        Reply reply = callback(body("sc-code", state));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("access_token").asText()).isEqualTo("access-token-1");
        assertThat(reply.json().path("refresh_token").asText()).isEqualTo("refresh-token-1");
        assertThat(reply.json().path("expires_in").asLong()).isEqualTo(3600);
        assertThat(reply.json().path("user").path("id").asLong()).isEqualTo(4242);
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Pragma")).hasValue("no-cache");
        assertThat(APP.soundCloud.exchangedCodes()).containsExactly("sc-code");
    }

    @Test
    void charsetParameterIsAccepted() {
        State state = APP.startLogin();

        Reply reply = Api.submit(api.post("/callback")
                .header(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8"), body("sc-code", state));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void unknownFieldsAreIgnored() {
        State state = APP.startLogin();

        Reply reply = callback("{\"code\":\"sc-code\",\"state\":\"" + state.value() + "\",\"flow\":\"web\",\"n\":1}");

        assertThat(reply.status()).isEqualTo(200);
    }

    static Stream<Arguments> upstreamFailures() {
        return Stream.of(
                Arguments.of((Supplier<UpstreamResult<Tokens>>) () -> new UpstreamResult.Rejected<>("invalid_grant", 400), 400, "invalid_grant"),
                Arguments.of((Supplier<UpstreamResult<Tokens>>) () -> new UpstreamResult.Rejected<>("invalid_client", 401), 502, "invalid_client"),
                Arguments.of((Supplier<UpstreamResult<Tokens>>) () -> new UpstreamResult.Unavailable<>("HTTP 503"), 502, "upstream_unavailable"),
                Arguments.of((Supplier<UpstreamResult<Tokens>>) UpstreamResult.TimedOut::new, 504, "upstream_timeout"));
    }

    @ParameterizedTest
    @MethodSource("upstreamFailures")
    void failedExchangeAnswersTheFailuresStatusAndCode(Supplier<UpstreamResult<Tokens>> answer, int status, String error) {
        APP.soundCloud.answerExchangeWith(answer);
        State state = APP.startLogin();

        Reply reply = callback(body("sc-code", state));

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo(error);
        assertThat(reply.body()).doesNotContain("sc-code", state.value());
    }

    @Test
    void replayedStateIsAnInvalidState() {
        State state = APP.startLogin();
        callback(body("first", state));

        Reply replay = callback(body("second", state));

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_state");
        assertThat(replay.detail()).isEqualTo(StateRejection.ALREADY_USED.detail());
        assertThat(APP.soundCloud.exchangedCodes()).containsExactly("first");
    }

    @Test
    void unknownStateIsAnInvalidState() {
        Reply reply = callback("{\"code\":\"c\",\"state\":\"never-issued-0123456789abcdef\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_state");
        assertThat(reply.detail()).isEqualTo(StateRejection.UNKNOWN.detail());
    }

    @Test
    void malformedStateIsAnInvalidState() {
        Reply reply = callback("{\"code\":\"c\",\"state\":\"short\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_state");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"state\":\"never-issued-0123456789abcdef\"}",
            "{\"code\":null,\"state\":\"never-issued-0123456789abcdef\"}",
            "{\"code\":42,\"state\":\"never-issued-0123456789abcdef\"}",
            "{\"code\":\"c\",\"state\":[\"never-issued-0123456789abcdef\"]}",
            "{\"code\":\"\",\"state\":\"never-issued-0123456789abcdef\"}",
            "{\"code\":\"c\"}"})
    void missingOrInvalidFieldsAreAnInvalidRequest(String json) {
        Reply reply = callback(json);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "code=c&state=s", "not json", "[\"code\",\"state\"]", "\"text\"", "null",
            "{\"code\":\"a\",\"code\":\"b\",\"state\":\"never-issued-0123456789abcdef\"}",
            "{\"code\":\"c\",\"state\":\"never-issued-0123456789abcdef\"} trailing",
            "{\"code\":\"c\""})
    void bodyThatIsNotOneJsonObjectIsAnInvalidRequest(String body) {
        Reply reply = callback(body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1",
            "application/jsonp", "multipart/form-data; boundary=x"})
    void bodyOfAnotherContentTypeIsUnsupported(String contentType) {
        State state = APP.startLogin();

        Reply reply = Api.submit(api.post("/callback").header(HeaderNames.CONTENT_TYPE, contentType),
                body("sc-code", state));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).isEqualTo("unsupported_media_type");
        assertThat(APP.soundCloud.exchangedCodes()).isEmpty();
        assertThat(reply.header("Connection")).as("an unread body is not drained").hasValue("close");
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String padding = "x".repeat(JsonBody.MAX_BYTES);

        Reply reply = callback("{\"code\":\"c\",\"state\":\"s\",\"padding\":\"" + padding + "\"}");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("payload_too_large");
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        State state = APP.startLogin();
        String json = "{\"code\":\"sc-code\",\"state\":\"" + state.value() + "\",\"padding\":\"\"}";
        String padded = json.replace("\"padding\":\"\"", "\"padding\":\"" + "x".repeat(JsonBody.MAX_BYTES - json.length()) + "\"");

        Reply reply = callback(padded);

        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(JsonBody.MAX_BYTES);
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void closedResponsesAreReadable() {
        // guards the helper: a problem body is complete JSON with the RFC 9457 members
        Reply reply = Api.submit(api.post("/callback").header(HeaderNames.CONTENT_TYPE, "application/json"), "[]");
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(reply.json().path("title").asText()).isEqualTo("Bad Request");
        assertThat(reply.json().path("status").asInt()).isEqualTo(400);
    }
}
