package dev.starlib.auth.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API as bootstrap mounts it knows nothing of {@code /internal}: with the right key, the app token path is
 * a plain 404 there, and SoundCloud is never asked. (Bootstrap's AdminListenerTest checks the wired ports.)
 */
abstract class InternalApiNotOnThePublicPortTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends InternalApiNotOnThePublicPortTest {
    }

    @ServerTest
    static final class OnSocket extends InternalApiNotOnThePublicPortTest {
    }

    @Test
    void theAppTokenPathIsNotFoundOnThePublicRoutingEvenWithTheKey() {
        Reply reply = Internal.unchecked(client.get(InternalApi.APP_TOKEN_PATH)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + Internal.KEY));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).doesNotContain(ScriptedSoundCloud.APP_GRANT.accessToken().value());
        assertThat(APP.soundCloud.appGrants()).isZero();
    }
}
