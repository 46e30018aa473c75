package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.soundcloud.KeepAliveServer.Act;
import dev.starlib.auth.soundcloud.KeepAliveServer.Request;
import io.helidon.webclient.api.ClientConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static dev.starlib.auth.soundcloud.FakeSoundCloud.ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CODE;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.PRESENTED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.TOKEN_JSON;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.USER_JSON;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections to SoundCloud under decision 0003's rules: a connection is lent again only while it is
 * younger than the keep-alive and not seen closed; a call goes again on a fresh connection only when not a byte of
 * it reached the pooled one; a code or refresh token that may have reached SoundCloud is never sent twice.
 */
class ConnectionReuseTest {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(4);
    private static final Duration LONG = Duration.ofMinutes(5);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private KeepAliveServer server;
    private SoundCloudClient client;

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private SoundCloudClient client(Duration keepAlive, Duration timeout, Predicate<ClientConnection> looksOpen) {
        client = new SoundCloudClient(FakeSoundCloud.settings(server.origin(), timeout).withKeepAlive(keepAlive),
                AuthEvents.NONE, nanos::get, looksOpen);
        return client;
    }

    private SoundCloudClient client(Duration keepAlive) {
        return client(keepAlive, Duration.ofSeconds(10), ClientConnection::isConnected);
    }

    @Test
    void callsOneAfterAnotherShareOneConnection() throws Exception {
        server = new KeepAliveServer(USER_JSON, LONG);
        SoundCloudClient client = client(KEEP_ALIVE);

        for (int i = 0; i < 3; i++) {
            assertThat(client.me(ACCESS)).isInstanceOf(UpstreamResult.Success.class);
        }

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 1, 1);
        assertThat(client.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void aConnectionIdleForTheKeepAliveIsClosedNotLentAgain() throws Exception {
        server = new KeepAliveServer(USER_JSON, LONG);
        SoundCloudClient client = client(KEEP_ALIVE);

        client.me(ACCESS);
        nanos.addAndGet(KEEP_ALIVE.minusMillis(1).toNanos());
        client.me(ACCESS); // still young enough: the same connection
        nanos.addAndGet(KEEP_ALIVE.toNanos());
        assertThat(client.me(ACCESS)).isInstanceOf(UpstreamResult.Success.class);

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 1, 2);
        awaitUntil(() -> server.closedByClient() == 1); // the old one was hung up, not left to SoundCloud
    }

    @Test
    void keepAliveZeroOpensAFreshConnectionForEveryCall() throws Exception {
        server = new KeepAliveServer(USER_JSON, LONG);
        SoundCloudClient client = client(Duration.ZERO);

        client.me(ACCESS);
        client.me(ACCESS);

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 2);
        assertThat(client.idleConnectionsLookingOpen()).isZero();
    }

    @Test
    void aConnectionSoundCloudClosedWhileItIdledIsNotUsed() throws Exception {
        // SoundCloud gives up sooner than the keep-alive expected: its idle monitor sees the close first.
        server = new KeepAliveServer(TOKEN_JSON, Duration.ofMillis(200));
        SoundCloudClient client = client(Duration.ofSeconds(60));

        assertThat(client.exchangeCode(CODE, VERIFIER)).isInstanceOf(UpstreamResult.Success.class);
        awaitUntil(() -> server.closedIdle() == 1 && client.idleConnectionsLookingOpen() == 0);
        assertThat(client.exchangeCode(CODE, VERIFIER)).isInstanceOf(UpstreamResult.Success.class);

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 2);
    }

    @Test
    void aPooledConnectionFoundDeadOnWriteSendsTheCallOnceOnAFreshOne() throws Exception {
        server = new KeepAliveServer(TOKEN_JSON, LONG).then(new Act.AnswerThenReset(TOKEN_JSON));
        // As if the idle monitor had not seen the reset yet: only the write finds the connection dead.
        SoundCloudClient client = client(KEEP_ALIVE, Duration.ofSeconds(10), connection -> true);

        assertThat(client.exchangeCode(CODE, VERIFIER)).isInstanceOf(UpstreamResult.Success.class);
        awaitUntil(() -> server.resets() == 1);
        assertThat(client.exchangeCode(CODE, VERIFIER)).isInstanceOf(UpstreamResult.Success.class);

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 2);
        assertThat(client.connectionsOpened()).isEqualTo(2);
    }

    /** The calls whose request carries something single-use. */
    enum SingleUse {
        CODE_EXCHANGE(FakeSoundCloud.CODE.value()) {
            UpstreamResult<?> call(SoundCloudClient client) {
                return client.exchangeCode(CODE, VERIFIER);
            }
        },
        REFRESH(PRESENTED_REFRESH.value()) {
            UpstreamResult<?> call(SoundCloudClient client) {
                return client.refresh(PRESENTED_REFRESH);
            }
        },
        APP_TOKEN_REFRESH(PRESENTED_REFRESH.value()) {
            UpstreamResult<?> call(SoundCloudClient client) {
                return client.refreshAppToken(PRESENTED_REFRESH);
            }
        };

        final String formValue;

        SingleUse(String secret) {
            this.formValue = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        }

        abstract UpstreamResult<?> call(SoundCloudClient client);
    }

    @ParameterizedTest
    @EnumSource(SingleUse.class)
    void aRequestReadOnAPooledConnectionAndLeftUnansweredIsNeverSentAgain(SingleUse call) throws Exception {
        server = new KeepAliveServer(TOKEN_JSON, LONG).then(new Act.Answer(TOKEN_JSON)).then(new Act.HangUpAfterReading());
        SoundCloudClient client = client(KEEP_ALIVE);

        assertThat(call.call(client)).isInstanceOf(UpstreamResult.Success.class);
        assertThat(call.call(client)).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));

        List<Request> requests = server.requests();
        assertThat(requests).extracting(Request::connection).containsExactly(1, 1);
        assertThat(requests.get(1).body()).contains(call.formValue);
        assertThat(client.connectionsOpened()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SingleUse.class)
    void aRequestReadOnAFreshConnectionAndLeftUnansweredIsNeverSentAgain(SingleUse call) throws Exception {
        server = new KeepAliveServer(TOKEN_JSON, LONG).then(new Act.HangUpAfterReading());
        SoundCloudClient client = client(KEEP_ALIVE);

        assertThat(call.call(client)).isEqualTo(new UpstreamResult.Unavailable<>("connection failed"));

        assertThat(server.requests()).hasSize(1);
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void theConnectionOfACallThatTimedOutIsNeverLentAgain() throws Exception {
        // The late answer would be the next caller's answer if the connection went back to the pool. The deadline
        // leaves the first call, a cold client's, time to succeed on a loaded machine (1 s did not, at load 13-19);
        // the late answer comes well after it.
        server = new KeepAliveServer(USER_JSON, LONG)
                .then(new Act.Answer(USER_JSON))
                .then(new Act.AnswerAfter(TOKEN_JSON, Duration.ofSeconds(9)));
        SoundCloudClient client = client(KEEP_ALIVE, Duration.ofSeconds(3), ClientConnection::isConnected);

        assertThat(client.me(ACCESS)).isInstanceOf(UpstreamResult.Success.class);
        assertThat(client.me(ACCESS)).isEqualTo(new UpstreamResult.TimedOut<>());
        assertThat(client.idleConnectionsLookingOpen()).isZero();
        assertThat(client.me(ACCESS)).isInstanceOf(UpstreamResult.Success.class);

        assertThat(server.requests()).extracting(Request::connection).containsExactly(1, 1, 2);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not hold within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
