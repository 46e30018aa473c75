package dev.starlib.auth.http;

import dev.starlib.auth.application.ProvideAppToken;
import io.helidon.webserver.http.HttpRouting;

import java.util.Objects;
import java.util.Optional;

/**
 * The internal API, for the backend's own services, as bootstrap mounts it on the operators' listener (never on the
 * public port):
 * <pre>
 *   WebServer.builder()
 *           .putSocket("admin", socket -> socket.routing(routing -> InternalApi.register(routing, key, appToken)))
 * </pre>
 * {@code GET /internal/soundcloud/app-token} answers the app's SoundCloud token with {@code Authorization: Bearer
 * <INTERNAL_API_TOKEN>}. Without a key configured, every path under {@code /internal} answers 404.
 */
public final class InternalApi {

    public static final String ROOT = "/internal";
    public static final String APP_TOKEN_PATH = ROOT + "/soundcloud/app-token";

    private InternalApi() {
    }

    /**
     * @param key      the configured key; empty: the internal API is off
     * @param appToken the app token use case; empty when CLIENT_ID/CLIENT_SECRET are missing (503 not_configured)
     */
    public static void register(HttpRouting.Builder routing, Optional<InternalApiKey> key,
                                Optional<ProvideAppToken> appToken) {
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(appToken, "appToken");
        routing.register(ROOT, new InternalRoutes(key, appToken));
    }
}
