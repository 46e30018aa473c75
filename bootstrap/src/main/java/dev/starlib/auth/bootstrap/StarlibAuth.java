package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.CompleteLogin;
import dev.starlib.auth.application.PickUpLogin;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.http.AuthUseCases;
import dev.starlib.auth.http.PublicApi;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.sandbox.SandboxSettings;
import dev.starlib.auth.sandbox.SandboxSoundCloud;
import dev.starlib.auth.soundcloud.ClientSecret;
import dev.starlib.auth.soundcloud.SoundCloudClient;
import dev.starlib.auth.soundcloud.SoundCloudSettings;
import dev.starlib.auth.store.FileSessionStore;
import dev.starlib.auth.store.MemorySessionStore;
import dev.starlib.auth.store.StoreKey;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole service, wired by hand: settings in, a running server out. Nothing else in the code base
 * decides which adapter serves which port.
 */
final class StarlibAuth implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StarlibAuth.class.getName());
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);
    static final long MAX_PAYLOAD_BYTES = 64 * 1024;

    private final WebServer server;
    private final ScheduledExecutorService housekeeping;
    private final SessionStorage store;
    private final AuthMetrics metrics;

    private StarlibAuth(WebServer server, ScheduledExecutorService housekeeping, SessionStorage store,
                        AuthMetrics metrics) {
        this.server = server;
        this.housekeeping = housekeeping;
        this.store = store;
        this.metrics = metrics;
    }

    static StarlibAuth start(ServiceSettings settings, Clock clock) {
        ReturnToPolicy returnToPolicy = returnToPolicy(settings);
        ReturnTo defaultReturnTo = defaultReturnTo(settings, returnToPolicy);
        int port = settings.port();
        URI authBaseUrl = settings.authBaseUrl();
        URI apiBaseUrl = settings.apiBaseUrl();
        Optional<SandboxSoundCloud> sandbox = Optional.empty();
        if (settings.sandbox().isPresent()) {
            // The adapter calls the sandbox over the public port, so the port must be known before the server starts.
            port = port == 0 ? freePort(settings.host()) : port;
            authBaseUrl = apiBaseUrl = sandboxBaseUrl(settings.host(), port);
            sandbox = Optional.of(new SandboxSoundCloud(new SandboxSettings(settings.clientId().orElseThrow(),
                    settings.clientSecret().orElseThrow(), settings.redirectUri(),
                    settings.sandbox().get().tokenLifetime(), settings.sandbox().get().autoApprove()), clock));
            LOG.log(System.Logger.Level.WARNING, SandboxBanner.text(settings, authBaseUrl));
        }

        // Helidon's process-wide registry, where its JVM meters live too; /observe/metrics serves it.
        MeterRegistry registry = Services.get(MeterRegistry.class);
        AuthMetrics metrics = new AuthMetrics(registry, clock);
        AuthEvents events = metrics;
        // Opened last: a refusal above must not leave the file store's lock taken.
        SessionStorage storage = sessionStore(settings, events);
        SessionStore store = storage.store();
        SessionOverview overview = new SessionOverview(storage.inventory(), clock);
        metrics.watch(overview);

        Optional<AuthUseCases> useCases = Optional.empty();
        if (settings.credentialsConfigured()) {
            var soundCloud = new SoundCloudClient(new SoundCloudSettings(authBaseUrl, apiBaseUrl,
                    settings.clientId().orElseThrow(), new ClientSecret(settings.clientSecret().orElseThrow()),
                    settings.redirectUri(), settings.upstreamTimeout()), events);
            var authorization = new AuthorizationSettings(settings.clientId().orElseThrow(),
                    under(authBaseUrl, "/authorize"), settings.redirectUri(), defaultReturnTo,
                    settings.pendingTtl(), settings.resultTtl());
            useCases = Optional.of(new AuthUseCases(
                    new StartLogin(authorization, returnToPolicy, store, new SecureRandom(), clock, events),
                    new CompleteLogin(store, soundCloud, settings.resultTtl(), clock, events),
                    new PickUpLogin(store, clock),
                    new RefreshTokens(soundCloud, events)));
        } else {
            LOG.log(System.Logger.Level.WARNING, "CLIENT_ID and CLIENT_SECRET are not set: the auth endpoints answer "
                    + "503 not_configured until both are set (environment or .env file) and the service restarts");
        }

        var cors = CorsOrigins.policy(settings.corsAllowedOrigins());
        Optional<AuthUseCases> wired = useCases;
        Optional<SandboxSoundCloud> standIn = sandbox;
        var operators = new OperatorListener(settings, overview, new CancelLogin(store, clock), metrics, registry, clock);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(port)
                .shutdownHook(false)
                // Only the features named here: Helidon would otherwise add /observe to the public port.
                .featuresDiscoverServices(false)
                .putSocket(OperatorListener.SOCKET, operators::configure)
                .addFeature(operators.observeFeature())
                // A backstop: the API refuses bodies over 4 KiB itself, with a problem body.
                .maxPayloadSize(MAX_PAYLOAD_BYTES)
                .directHandlers(PublicApi.directHandlers(cors))
                .routing(routing -> {
                    PublicApi.register(routing, wired, cors, standIn.isPresent());
                    standIn.ifPresent(soundCloud -> routing.register(SandboxSoundCloud.MOUNT_PATH, soundCloud));
                })
                .build()
                .start();

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("session-purge").factory());
        housekeeping.scheduleWithFixedDelay(() -> purge(storage, clock),
                PURGE_INTERVAL.toSeconds(), PURGE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return new StarlibAuth(server, housekeeping, storage, metrics);
    }

    int port() {
        return server.port();
    }

    int adminPort() {
        return server.port(OperatorListener.SOCKET);
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        server.stop();
        // After the server: no request can still be writing. Releases the file store's directory lock.
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the session store failed: " + e.getClass().getSimpleName());
        }
        metrics.close();
    }

    private static void purge(SessionStorage store, Clock clock) {
        try {
            int removed = store.purgeExpired(clock.instant());
            if (removed > 0) {
                LOG.log(System.Logger.Level.DEBUG, "purged {0} expired sessions", removed);
            }
        } catch (RuntimeException e) {
            // Keep the schedule alive; the next sweep tries again.
            LOG.log(System.Logger.Level.WARNING, "purging expired sessions failed: " + e.getClass().getSimpleName());
        }
    }

    private static SessionStorage sessionStore(ServiceSettings settings, AuthEvents events) {
        return switch (settings.sessionStore()) {
            case "memory" -> SessionStorage.of(new MemorySessionStore(settings.sessionStoreCapacity()));
            case "file" -> {
                Optional<StoreKey> key = settings.sessionStoreKey().map(StarlibAuth::storeKey);
                try {
                    yield SessionStorage.of(FileSessionStore.open(settings.sessionStorePath(), key,
                            settings.sessionStoreCapacity(), events));
                } catch (SessionStoreException e) {
                    throw new SettingsLoader.InvalidSettingException("SESSION_STORE_PATH: " + e.getMessage());
                }
            }
            default -> throw new SettingsLoader.InvalidSettingException(
                    "SESSION_STORE must be 'memory' or 'file' (got an unknown store name)");
        };
    }

    private static StoreKey storeKey(String base64) {
        try {
            return StoreKey.fromBase64(base64);
        } catch (IllegalArgumentException e) {
            throw new SettingsLoader.InvalidSettingException("SESSION_STORE_KEY " + e.getMessage());
        }
    }

    private static ReturnToPolicy returnToPolicy(ServiceSettings settings) {
        try {
            return ReturnToPolicy.ofOrigins(settings.allowedReturnOrigins());
        } catch (IllegalArgumentException e) {
            throw new SettingsLoader.InvalidSettingException("ALLOWED_RETURN_ORIGINS: " + e.getMessage());
        }
    }

    private static ReturnTo defaultReturnTo(ServiceSettings settings, ReturnToPolicy policy) {
        return switch (policy.check(settings.defaultReturnTo())) {
            case ReturnToPolicy.Verdict.Accepted accepted -> accepted.returnTo();
            case ReturnToPolicy.Verdict.Rejected rejected -> throw new SettingsLoader.InvalidSettingException(
                    "DEFAULT_RETURN_TO is not acceptable: " + rejected.reason());
        };
    }

    /**
     * Where the adapter (and the browser, via the authorization URL) reaches the sandbox: the public port on a
     * loopback address, since the adapter speaks plain http only to loopback. A wildcard BACKEND_HOST (allowed with
     * SANDBOX_ALLOW_REMOTE) is reached on 127.0.0.1; a specific remote address cannot be, and is refused.
     */
    static URI sandboxBaseUrl(String host, int port) {
        String loopback;
        if (SettingsLoader.isLoopback(host)) {
            loopback = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        } else if (isWildcard(host)) {
            loopback = "127.0.0.1";
        } else {
            throw new SettingsLoader.InvalidSettingException("SOUNDCLOUD_MODE=sandbox with a non-loopback BACKEND_HOST "
                    + "needs a wildcard address (0.0.0.0 or ::): the service reaches its sandbox over 127.0.0.1");
        }
        return URI.create("http://" + loopback + ":" + port + SandboxSoundCloud.MOUNT_PATH);
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    /** {@code base} + {@code path}, whether or not the configured base ends in a slash. */
    static URI under(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }
}
