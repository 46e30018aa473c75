package dev.starlib.auth.http;

import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;

import java.util.Objects;
import java.util.Optional;

/**
 * The public API, {@code /auth/soundcloud/...}, as bootstrap mounts it:
 * <pre>
 *   WebServer.builder()
 *           .directHandlers(PublicApi.directHandlers(cors))
 *           .routing(routing -> PublicApi.register(routing, useCases, cors))
 * </pre>
 */
public final class PublicApi {

    private PublicApi() {
    }

    /**
     * Registers filters, error handlers and the /auth/soundcloud routes. Empty use cases = credentials missing:
     * every auth endpoint answers 503 not_configured (except /done).
     */
    public static void register(HttpRouting.Builder routing, Optional<AuthUseCases> useCases, CorsPolicy cors) {
        register(routing, useCases, cors, false);
    }

    /**
     * As {@link #register(HttpRouting.Builder, Optional, CorsPolicy)}; with {@code sandbox} the pages a browser
     * lands on ({@code /done}, a refused redirect) carry a banner saying SoundCloud is the sandbox stand-in.
     * Also serves the API's contract at {@code GET /openapi}.
     */
    public static void register(HttpRouting.Builder routing, Optional<AuthUseCases> useCases, CorsPolicy cors,
                                boolean sandbox) {
        register(routing, useCases, cors, sandbox, FairUse.unlimited(java.time.Clock.systemUTC()));
    }

    /**
     * As {@link #register(HttpRouting.Builder, Optional, CorsPolicy, boolean)}, with each client held to its fair
     * share: per-endpoint budgets (429 beyond them), and optionally pickups bound to the client that started.
     */
    public static void register(HttpRouting.Builder routing, Optional<AuthUseCases> useCases, CorsPolicy cors,
                                boolean sandbox, FairUse fairUse) {
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(useCases, "useCases");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(fairUse, "fairUse");
        Pages pages = new Pages(sandbox);
        ErrorHandling.register(routing, pages);
        // Order matters: security headers first, so even a refused preflight carries them; CORS before the
        // throttle, so a 429 can be read by the page that got it, and preflights cost no budget.
        routing.addFilter(new SecurityHeaders());
        routing.addFilter(new CorsFilter(cors));
        routing.addFilter(new Throttle(fairUse));
        routing.register(ApiPath.ROOT, new AuthService(useCases.map(cases -> new AuthRoutes(cases, pages, fairUse)),
                useCases.map(AuthUseCases::lookUpLogin), pages));
        OpenApiDocument.load().register(routing);
    }

    /**
     * Answers for requests Helidon refuses before routing (e.g. bad percent-encoding in the query): problem JSON
     * under /auth/soundcloud. Install with {@code WebServerConfig.Builder#directHandlers}.
     */
    public static DirectHandlers directHandlers(CorsPolicy cors) {
        return TransportErrors.handlers(Objects.requireNonNull(cors, "cors"));
    }

    /**
     * Install beside {@link #directHandlers} ({@code WebServerConfig.Builder#errorHandling}): lets those handlers see
     * why Helidon refused a request (a header block over the limit is answered 431), which they never send on.
     */
    public static io.helidon.webserver.ErrorHandling errorHandling() {
        return TransportErrors.errorHandling();
    }
}
