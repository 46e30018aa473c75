package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.starlib.auth.soundcloud.FakeSoundCloud.ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.USER_JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** How the end of a body is found (RFC 9112 §6.3), and what happens to a connection whose answer comes too late. */
class ResponseFramingTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

    private final RawHttpServer server = new RawHttpServer();

    ResponseFramingTest() throws IOException {
    }

    @AfterEach
    void closeServer() throws IOException {
        server.close();
    }

    private UpstreamResult<?> me(Duration timeout) {
        return new SoundCloudClient(FakeSoundCloud.settings(server.origin(), timeout), AuthEvents.NONE).me(ACCESS);
    }

    @Test
    void bodyEndedByClosingTheConnectionIsReadToTheEnd() {
        server.answerOnceAndHangUp(HEAD + "Connection: close\r\n\r\n" + USER_JSON);

        assertThat(me(Duration.ofSeconds(10))).isInstanceOf(UpstreamResult.Success.class);
    }

    @Test
    void bodyCutShortOfItsContentLengthIsUnavailable() {
        // What arrives is a complete user on its own: only the framing shows that something is missing.
        server.answerOnceAndHangUp(HEAD + "Content-Length: " + (USER_JSON.length() + 100) + "\r\n\r\n" + USER_JSON);

        assertThat(me(Duration.ofSeconds(10))).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));
    }

    @Test
    void chunkedBodyCutShortIsUnavailable() {
        server.answerOnceAndHangUp(HEAD + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(USER_JSON.length()) + "\r\n" + USER_JSON + "\r\n");

        assertThat(me(Duration.ofSeconds(10))).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));
    }

    @Test
    void connectionOfATimedOutCallIsClosed() throws Exception {
        CompletableFuture<Void> hungUp = server.trickleUntilHangUp(HEAD + "Content-Length: 100000\r\n\r\n");

        assertThat(me(Duration.ofMillis(500))).isEqualTo(new UpstreamResult.TimedOut<>());
        hungUp.get(2, TimeUnit.SECONDS);
    }
}
