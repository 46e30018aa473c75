package dev.starlib.auth.http;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A key but no CLIENT_ID/CLIENT_SECRET: the caller is told what the operator must set, after the key check. */
abstract class InternalApiNotConfiguredTest {

    private Internal internal;

    @RoutingTest
    static final class InMemory extends InternalApiNotConfiguredTest {
    }

    @ServerTest
    static final class OnSocket extends InternalApiNotConfiguredTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        InternalApi.register(routing, Optional.of(InternalApiKey.of(Internal.KEY)), Optional.empty());
    }

    @BeforeEach
    void connect(Http1Client client) {
        internal = new Internal(client);
    }

    @Test
    void withTheKeyTheAnswerIs503NotConfigured() {
        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("not_configured");
    }

    @Test
    void withoutTheKeyNothingIsSaidAboutTheConfiguration() {
        Reply reply = internal.appTokenWith("Bearer guess");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.detail()).doesNotContain("CLIENT_ID");
    }
}
