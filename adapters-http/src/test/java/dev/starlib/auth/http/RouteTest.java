package dev.starlib.auth.http;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;

/**
 * The public API as {@link TestApi} wires it, set up once for every route test. A route test is an abstract
 * subclass holding the assertions, and runs them at two speeds through two nested subclasses of its own:
 * {@code @RoutingTest InMemory} (Helidon's {@code DirectClient}, no socket) and {@code @ServerTest OnSocket}
 * (a real port). Both go through {@link Api}, so every exchange is checked against the contract at either speed;
 * what only a socket carries (raw bytes, see {@link RawHttp}) is tested in {@code OnSocket} alone.
 * <p>
 * The route tests share one {@link #APP}: they run one at a time, and it is reset before every test.
 */
abstract class RouteTest {

    static final TestApi APP = new TestApi();

    /** For paths outside the API's root; {@link #api} for the API itself. */
    Http1Client client;
    Api api;

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        APP.register(routing);
        // Beside the API, as /observe is in the service: routes that are not ours, which it must leave alone.
        routing.get("/health", (request, response) -> response.send("ok"));
        routing.get("/health/broken", (request, response) -> {
            throw new IllegalStateException("not ours");
        });
    }

    /**
     * Helidon passes the client of the speed: a {@code DirectClient} in memory, a connection to the port on the
     * socket. A parameter here rather than in a constructor, so the speed classes need none.
     */
    @BeforeEach
    void reset(Http1Client client) {
        this.client = client;
        this.api = new Api(client);
        APP.reset();
    }
}
