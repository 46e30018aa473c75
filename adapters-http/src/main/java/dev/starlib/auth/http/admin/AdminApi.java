package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.OperatorSignIn;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.http.client.ClientResolver;
import dev.starlib.auth.http.client.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import dev.starlib.auth.http.Unrouted;
import io.helidon.webserver.http.HttpRouting;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;

/**
 * The operator pages, {@code /admin}, as bootstrap mounts them on the admin listener:
 * <pre>
 *   WebServer.builder()
 *           .putSocket("admin", socket -> socket.routing(routing -> AdminApi.register(routing, credentials, console)))
 * </pre>
 * The observe endpoints ({@code /observe/health}, {@code /observe/metrics}) share that listener and need no
 * credentials; everything under {@code /admin} does.
 */
public final class AdminApi {

    public static final String PATH = "/admin";

    private AdminApi() {
    }

    /** Without a guessing back-off; tests of the pages alone. */
    public static void register(HttpRouting.Builder routing, AdminCredentials credentials, AdminConsole console) {
        register(routing, credentials, console, OperatorSignIn.unguarded(console.clock()), new ClientResolver(TrustedProxies.NONE, new ClientKey.Hasher(new byte[32])));
    }

    /**
     * @param signIn  who may sign in, and who must wait after guessing
     * @param clients who a request comes from (the same trusted-proxy rule as the public API)
     */
    public static void register(HttpRouting.Builder routing, AdminCredentials credentials, AdminConsole console,
                                OperatorSignIn signIn, ClientResolver clients) {
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(signIn, "signIn");
        Objects.requireNonNull(clients, "clients");
        AdminPages pages = new AdminPages();
        routing.register(PATH, new AdminService(credentials, console, CsrfToken.random(new SecureRandom()), pages,
                signIn, clients));
        // Whoever opens the admin port's root most likely wants the dashboard.
        routing.get("/", (request, response) -> {
            response.status(Status.SEE_OTHER_303);
            response.header(HeaderNames.LOCATION, PATH);
            response.send();
        });
        // Anything else on this port: problem JSON, or the admin pages' problem page for a browser.
        new Unrouted(NOT_FOUND, Map.of("/", "GET", "/observe/health", "GET", "/observe/health/ready", "GET",
                "/observe/health/live", "GET", "/observe/metrics", "GET"), (response, status, detail) -> {
            AdminHeaders.apply(response);
            pages.problem(response, status, detail);
        }).register(routing);
    }

    static final String NOT_FOUND = "There is nothing at this path on the operators' port: the dashboard is " + PATH
            + ", health /observe/health, metrics /observe/metrics.";
}
