package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.CompleteLogin;
import dev.starlib.auth.application.LookUpLogin;
import dev.starlib.auth.application.PickUpLogin;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.SignOut;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.http.AuthUseCases;
import dev.starlib.auth.http.PublicApi;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.soundcloud.SoundCloudClient;
import dev.starlib.auth.soundcloud.SoundCloudSettings;
import dev.starlib.auth.store.FileSessionStore;
import dev.starlib.auth.store.MemorySessionStore;
import dev.starlib.auth.store.redis.RedisSessionStore;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole service, wired by hand: checked settings in, a running server out. Nothing else in the code base
 * decides which adapter serves which port. Each piece has a small factory below; whatever a step opens is
 * closed again, in reverse order, when a later step fails, so a failed start leaves no lock or thread behind.
 */
final class StarlibAuth implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StarlibAuth.class.getName());
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);
    static final long MAX_PAYLOAD_BYTES = 64 * 1024;

    /** A start that failed after the settings were accepted: a port in use, a store that cannot be opened. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }

    private final WebServer server;
    private final Opened opened;

    private StarlibAuth(WebServer server, Opened opened) {
        this.server = server;
        this.opened = opened;
    }

    static StarlibAuth start(ServiceSettings settings, Clock clock) {
        Opened opened = new Opened();
        try {
            AuthMetrics metrics = opened.add(metrics(clock));
            // First, before any other thread can create a meter: the JVM's meters are registered on Micrometer's
            // registry directly, which holds Micrometer's lock while Helidon's listener takes Helidon's; a meter
            // created through Helidon takes the two the other way round. Bound last, as before, they deadlocked
            // with the Redis store's command timers, which Lettuce's event loop creates on a command's first use
            // (a first /admin or scrape during the start). No thread of ours runs yet; the GC meters are read
            // when scraped, not created on the JVM's notification thread.
            opened.add(JvmMeters.bind(Services.get(MeterRegistry.class)));
            int port = publicPort(settings);
            HeapBudget.warning(settings.store(), Runtime.getRuntime().maxMemory())
                    .ifPresent(warning -> LOG.log(System.Logger.Level.WARNING, warning));
            SessionStorage storage = opened.add(sessionStorage(settings.store(), metrics, clock));
            Protection protection = opened.add(Protection.of(settings.fairUse(), storage, metrics, clock));
            SessionOverview overview = new SessionOverview(storage.inventory(), clock);
            metrics.watch(overview);
            Optional<HttpService> sandbox = sandbox(settings, port, clock);
            SoundCloudBase base = soundCloudBase(settings, port);
            Optional<SoundCloudAccess> soundCloud = soundCloud(settings, base, metrics, clock);
            // Its idle connections are closed after the server has stopped (closing runs in reverse).
            soundCloud.ifPresent(access -> opened.add(access.client()));
            Optional<AuthUseCases> useCases = useCases(settings, base, soundCloud, storage, metrics, clock);
            Optional<ProvideAppToken> appToken = appToken(settings, soundCloud, storage, metrics, clock);
            appToken.ifPresent(metrics::watch);
            OperatorListener operators = new OperatorListener(settings, overview, new CancelLogin(storage.store(), clock),
                    appToken, metrics, Services.get(MeterRegistry.class), clock, protection);
            WebServer server = opened.add(server(settings, port, useCases, sandbox, operators, protection));
            operators.bound(server.port(), server.port(OperatorListener.SOCKET));
            opened.add(purgeSchedule(storage, protection, clock));
            if (settings.internalApiKey().isPresent()) {
                appToken.ifPresent(token -> opened.add(appTokenSchedule(token, settings)));
            }
            return new StarlibAuth(server, opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    int adminPort() {
        return server.port(OperatorListener.SOCKET);
    }

    /**
     * Stops the schedule, then the server (it stops accepting, and requests in flight get SHUTDOWN_GRACE_SECONDS to
     * finish), then the store, then the meters. Closing twice does nothing more.
     */
    @Override
    public synchronized void close() {
        opened.close();
    }

    // --- the pieces -----------------------------------------------------------------------------------

    /** Helidon's process-wide registry, where its JVM meters live too; /observe/metrics serves it. */
    private static AuthMetrics metrics(Clock clock) {
        return new AuthMetrics(Services.get(MeterRegistry.class), clock);
    }

    /** The sandbox is called over the public port, so that port must be known before the server starts. */
    private static int publicPort(ServiceSettings settings) {
        return settings.sandbox().isPresent() && settings.port() == 0 ? freePort(settings.host()) : settings.port();
    }

    private static SessionStorage sessionStorage(StoreSettings store, AuthEvents events, Clock clock) {
        return switch (store) {
            case StoreSettings.Memory memory -> SessionStorage.of(new MemorySessionStore(memory.capacity()));
            case StoreSettings.File file -> {
                try {
                    yield SessionStorage.of(FileSessionStore.open(file.path(), file.key(), file.capacity(), events));
                } catch (SessionStoreException e) {
                    throw new StartFailure("SESSION_STORE_PATH: " + e.getMessage());
                }
            }
            case StoreSettings.Redis redis -> {
                try {
                    yield SessionStorage.of(RedisSessionStore.open(redis.redis(), redis.key(), redis.capacity(), clock,
                            events), redis.key());
                } catch (SessionStoreException e) {
                    throw new StartFailure("REDIS_URL: " + e.getMessage());
                }
            }
        };
    }

    private static Optional<HttpService> sandbox(ServiceSettings settings, int port, Clock clock) {
        return settings.sandbox().map(options -> {
            LOG.log(System.Logger.Level.WARNING, SandboxBanner.text(settings, SandboxWiring.baseUrl(options, port)));
            return SandboxWiring.standIn(settings, options, clock);
        });
    }

    /** Where the adapter calls SoundCloud: the live base URLs, or both at the sandbox on the public port. */
    private static SoundCloudBase soundCloudBase(ServiceSettings settings, int port) {
        return switch (settings.soundCloud()) {
            case SoundCloudMode.Live live -> new SoundCloudBase(live.authBaseUrl(), live.apiBaseUrl());
            case SoundCloudMode.Sandbox sandbox -> {
                URI base = SandboxWiring.baseUrl(sandbox.options(), port);
                yield new SoundCloudBase(base, base);
            }
        };
    }

    private record SoundCloudBase(URI auth, URI api) {
    }

    /** The SoundCloud adapter, the settings it was made with, and the breaker around its token endpoint. */
    private record SoundCloudAccess(SoundCloudClient client, SoundCloudSettings settings, TokenEndpointBreaker breaker) {
    }

    /**
     * One client for every use case, so that whatever it keeps about SoundCloud is kept once, and one breaker that
     * guards every call to its token endpoint (logins, refreshes and the app token alike); the metrics watch it. None
     * without credentials.
     */
    private static Optional<SoundCloudAccess> soundCloud(ServiceSettings settings, SoundCloudBase base,
                                                         AuthMetrics events, Clock clock) {
        if (!settings.credentialsConfigured()) {
            return Optional.empty();
        }
        SoundCloudSettings soundCloudSettings = settings.soundCloudSettings(base.auth(), base.api());
        var breaker = new TokenEndpointBreaker(settings.breaker(), clock, events);
        events.watch(breaker);
        return Optional.of(new SoundCloudAccess(new SoundCloudClient(soundCloudSettings, events), soundCloudSettings,
                breaker));
    }

    /** Empty when the credentials are missing: every auth endpoint then answers 503 not_configured. */
    private static Optional<AuthUseCases> useCases(ServiceSettings settings, SoundCloudBase base,
                                                   Optional<SoundCloudAccess> access, SessionStorage storage,
                                                   AuthEvents events, Clock clock) {
        if (access.isEmpty()) {
            List<String> missing = settings.missingCredentials();
            LOG.log(System.Logger.Level.WARNING, String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not set: the auth endpoints answer 503 not_configured until " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " set (environment or .env file) and the service restarts");
            return Optional.empty();
        }
        var soundCloud = access.get().client();
        var breaker = access.get().breaker();
        // A client waits SOUNDCLOUD_TIMEOUT_MS; the refresh itself may run on to the adapter's longer bound.
        var refresh = new RefreshTokens.Settings(settings.refreshReuse(), access.get().settings().timeout(),
                access.get().settings().refreshTimeout());
        var authorization = new AuthorizationSettings(settings.clientId().orElseThrow(), under(base.auth(), "/authorize"),
                settings.redirectUri(), settings.defaultReturnTo(), settings.pendingTtl(), settings.resultTtl(),
                settings.fairUse().pendingPerClient());
        return Optional.of(new AuthUseCases(
                new StartLogin(authorization, settings.returnToPolicy(), storage.store(), new SecureRandom(), clock, events),
                new CompleteLogin(storage.store(), soundCloud, breaker, settings.resultTtl(), clock, events),
                new PickUpLogin(storage.store(), clock),
                new RefreshTokens(storage.ledger(), soundCloud, breaker, refresh, clock, new SecureRandom(), events),
                new SignOut(soundCloud, storage.ledger(), events),
                new LookUpLogin(storage.store(), clock)));
    }

    /**
     * The app token, kept in the session store under the fingerprint of these credentials; none without them. Nothing
     * is asked of SoundCloud here: only a request, or the schedule below, does.
     */
    private static Optional<ProvideAppToken> appToken(ServiceSettings settings, Optional<SoundCloudAccess> access,
                                                      SessionStorage storage, AuthEvents events, Clock clock) {
        return access.map(soundCloud -> {
            if (settings.internalApiKey().isPresent()) {
                LOG.log(System.Logger.Level.INFO, "internal API on ADMIN_PORT: GET /internal/soundcloud/app-token "
                        + "serves the app token, renewed " + settings.appTokenRenewBefore().toSeconds()
                        + " s before it expires");
                if (settings.store() instanceof StoreSettings.Memory) {
                    LOG.log(System.Logger.Level.WARNING, "SESSION_STORE=memory keeps the app token for this process "
                            + "only: every start costs one of SoundCloud's client-credentials grants (50 per 12 hours "
                            + "per app); use SESSION_STORE=file (or a shared store) to keep it across restarts");
                }
            }
            return new ProvideAppToken(storage.appTokens(), soundCloud.client(), soundCloud.breaker(),
                    soundCloud.settings().credentialsFingerprint(), settings.appTokenRenewBefore(), clock, events);
        });
    }

    /**
     * With the internal API on, the token is obtained right after the start (so that wrong credentials show on the
     * readiness check before anyone signs in, and the first caller need not wait) and renewed when it falls due, so
     * that callers seldom wait for SoundCloud. A token kept from before the start costs nothing.
     */
    private static ScheduledExecutorService appTokenSchedule(ProvideAppToken appToken, ServiceSettings settings) {
        ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("app-token-renewal").factory());
        long tick = appTokenTick(settings.appTokenRenewBefore()).toMillis();
        renewal.scheduleWithFixedDelay(() -> {
            try {
                appToken.renewIfDue();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "renewing the app token failed: " + e.getClass().getSimpleName());
            }
        }, 0, tick, TimeUnit.MILLISECONDS);
        return renewal;
    }

    /** Often enough to renew well inside the window, rarely enough to cost nothing: a fifth of it, 1 to 30 s. */
    static Duration appTokenTick(Duration renewBefore) {
        Duration fifth = renewBefore.dividedBy(5);
        Duration shortest = Duration.ofSeconds(1);
        Duration longest = Duration.ofSeconds(30);
        return fifth.compareTo(shortest) < 0 ? shortest : fifth.compareTo(longest) > 0 ? longest : fifth;
    }

    private static WebServer server(ServiceSettings settings, int port, Optional<AuthUseCases> useCases,
                                    Optional<HttpService> sandbox, OperatorListener operators, Protection protection) {
        WebServer server = QuietBindFailures.around(() -> protection.bound(WebServer.builder())
                .host(settings.host())
                .port(port)
                // Main stops the server on SIGTERM, letting requests in flight finish within this bound.
                .shutdownHook(false)
                .shutdownGracePeriod(settings.shutdownGrace())
                // Only the features named here: Helidon would otherwise add /observe to the public port.
                .featuresDiscoverServices(false)
                .putSocket(OperatorListener.SOCKET, operators::configure)
                .addFeature(operators.observeFeature())
                // A backstop: the API refuses bodies over 4 KiB itself, with a problem body.
                .maxPayloadSize(MAX_PAYLOAD_BYTES)
                .directHandlers(PublicApi.directHandlers(settings.cors()))
                .errorHandling(PublicApi.errorHandling())
                .routing(routing -> {
                    PublicApi.register(routing, useCases, settings.cors(), sandbox.isPresent(), protection.fairUse);
                    sandbox.ifPresent(standIn -> routing.register(SandboxWiring.MOUNT_PATH, standIn));
                })
                .build()
                .start());
        // Helidon does not start a listener that cannot bind, and does not say which one: ask the ports.
        if (!server.isRunning() || server.port() < 0 || server.port(OperatorListener.SOCKET) < 0) {
            server.stop();
            String failed = cannotListen(settings.host(), port) ? "BACKEND_PORT " + port
                    : cannotListen(settings.host(), settings.adminPort()) ? "ADMIN_PORT " + settings.adminPort()
                    : "BACKEND_PORT " + port + " or ADMIN_PORT " + settings.adminPort();
            throw new StartFailure(failed + " on " + settings.host()
                    + " cannot be listened on (in use by another process, or not permitted)");
        }
        return server;
    }

    private static boolean cannotListen(String host, int port) {
        if (port == 0) {
            return false;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static ScheduledExecutorService purgeSchedule(SessionStorage storage, Protection protection, Clock clock) {
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("session-purge").factory());
        housekeeping.scheduleWithFixedDelay(() -> {
                    purge(storage, clock);
                    protection.purgeExpired(clock.instant());
                },
                PURGE_INTERVAL.toSeconds(), PURGE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return housekeeping;
    }

    private static void purge(SessionStorage storage, Clock clock) {
        try {
            int removed = storage.purgeExpired(clock.instant());
            if (removed > 0) {
                LOG.log(System.Logger.Level.DEBUG, "purged {0} expired sessions", removed);
            }
        } catch (RuntimeException e) {
            // Keep the schedule alive; the next sweep tries again.
            LOG.log(System.Logger.Level.WARNING, "purging expired sessions failed: " + e.getClass().getSimpleName());
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

    /** What a start has opened so far, closed last-opened first; each close is tried even when one fails. */
    private static final class Opened implements AutoCloseable {

        private final Deque<AutoCloseable> resources = new ArrayDeque<>();

        <T> T add(T resource) {
            resources.push(switch (resource) {
                case WebServer server -> server::stop;
                case ScheduledExecutorService executor -> executor::shutdownNow;
                case Protection protection -> protection;
                case AutoCloseable closeable -> closeable;
                default -> throw new IllegalArgumentException("cannot close " + resource.getClass().getSimpleName());
            });
            return resource;
        }

        @Override
        public void close() {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing a part of the service failed: "
                            + e.getClass().getSimpleName());
                }
            }
        }
    }
}
