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

/** Without INTERNAL_API_TOKEN the internal API is off: 404, whatever is presented. */
abstract class InternalApiOffTest {

    private static final TestApi APP = new TestApi();

    private Internal internal;

    @RoutingTest
    static final class InMemory extends InternalApiOffTest {
    }

    @ServerTest
    static final class OnSocket extends InternalApiOffTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        InternalApi.register(routing, Optional.empty(), Optional.of(APP.appToken));
    }

    @BeforeEach
    void connect(Http1Client client) {
        internal = new Internal(client);
        APP.reset();
    }

    @Test
    void theAppTokenIsNotFoundWithAnyKeyOrNone() {
        for (Reply reply : new Reply[] {internal.appTokenWithKey(), internal.appTokenWith("Bearer anything"),
                Api.send(internal.appToken())}) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.error()).isEqualTo("not_found");
            assertThat(reply.detail()).contains("INTERNAL_API_TOKEN is not set");
        }
        assertThat(APP.soundCloud.appGrants()).isZero();
    }
}
