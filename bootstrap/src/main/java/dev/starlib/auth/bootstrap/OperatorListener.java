package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.http.InternalApi;
import dev.starlib.auth.http.admin.AdminApi;
import dev.starlib.auth.http.admin.AdminConsole;
import dev.starlib.auth.http.admin.AdminCredentials;
import dev.starlib.auth.http.admin.ConfigurationSummary;
import dev.starlib.auth.http.admin.ConfigurationSummary.Setting;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.ServiceHealth;
import io.helidon.health.checks.HealthChecks;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operators' listener, a second named socket on {@code ADMIN_PORT}: {@code /admin} (HTTP Basic),
 * {@code /observe/health} and {@code /observe/metrics} (open, for probes and scrapers), and the internal API for the
 * backend's own services ({@code /internal/soundcloud/app-token}, a bearer key). Nothing of it is routed on the public
 * port.
 */
final class OperatorListener {

    static final String SOCKET = "admin";
    /** The only body the admin pages take is the cancel form. */
    static final long MAX_PAYLOAD_BYTES = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(OperatorListener.class.getName());

    private final ServiceSettings settings;
    private final MeterRegistry registry;
    private final ServiceHealth health;
    private final AdminCredentials credentials;
    private final AdminConsole console;
    private final Protection protection;
    private final AtomicReference<Ports> ports;
    private final Optional<ProvideAppToken> appToken;

    OperatorListener(ServiceSettings settings, SessionOverview sessions, CancelLogin cancelLogin,
                     Optional<ProvideAppToken> appToken, AuthMetrics metrics, MeterRegistry registry, Clock clock,
                     Protection protection) {
        this.protection = protection;
        this.settings = settings;
        this.registry = registry;
        this.ports = new AtomicReference<>(new Ports(settings.port(), settings.adminPort()));
        this.appToken = appToken;
        this.health = new ServiceHealth(settings.credentialsConfigured(), sessions, appToken, metrics, clock,
                List.of(HealthChecks.deadlockCheck(), HealthChecks.heapMemoryCheck()));
        this.credentials = credentials(settings);
        this.console = new AdminConsole(sessions, cancelLogin, metrics, health,
                new ConfigurationSummary(() -> summary(settings, ports.get()), warning(settings)), clock, appToken);
    }

    /** The ports as bound, once the server runs: the dashboard shows them rather than a configured 0. */
    void bound(int publicPort, int adminPort) {
        ports.set(new Ports(publicPort, adminPort));
    }

    /** Until {@link #bound}: the configured ports. */
    private record Ports(int publicPort, int adminPort) {
    }

    void configure(ListenerConfig.Builder socket) {
        protection.bound(socket).host(settings.host())
                .port(settings.adminPort())
                .shutdownGracePeriod(settings.shutdownGrace())
                .maxPayloadSize(MAX_PAYLOAD_BYTES)
                .routing(routing -> {
                    AdminApi.register(routing, credentials, console, protection.operatorSignIn, protection.clients);
                    InternalApi.register(routing, settings.internalApiKey(), appToken);
                });
    }

    /** Health with details as JSON, and metrics as Prometheus text or OpenMetrics, on the admin socket only. */
    ObserveFeature observeFeature() {
        return ObserveFeature.builder()
                .sockets(List.of(SOCKET))
                .observersDiscoverServices(false)
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addHealthChecks(health.checks())
                        .build())
                .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                .build();
    }

    /**
     * Without ADMIN_PASSWORD, one for this run, written to a file only this user can read: logs travel to
     * aggregators and terminals, so the log names the file, never the password.
     */
    private static AdminCredentials credentials(ServiceSettings settings) {
        if (settings.adminPassword().isPresent()) {
            return AdminCredentials.of(settings.adminUser(), settings.adminPassword().get());
        }
        AdminCredentials generated = AdminCredentials.generate(settings.adminUser(), new SecureRandom());
        var file = AdminPasswordFile.write(settings.adminPasswordFile(), generated.revealPassword());
        LOG.log(System.Logger.Level.WARNING, "ADMIN_PASSWORD is not set: for this run the admin pages take user '"
                + generated.user() + "' with the password generated into " + file
                + " (readable by this user only; set ADMIN_PASSWORD to choose one)");
        return generated;
    }

    /** Sandbox mode heads the dashboard: nobody should mistake it for a service signing in real accounts. */
    static Optional<String> warning(ServiceSettings settings) {
        return settings.sandbox().map(options -> "Sandbox mode (SOUNDCLOUD_MODE=sandbox): SoundCloud is an "
                + "in-process stand-in, not the real one. Anyone who can reach the public port signs in as a test "
                + "user, without a password. Never use it in production.");
    }

    /** What the dashboard may show of the settings, with the ports as configured: the secrets only as set or not. */
    static List<Setting> summary(ServiceSettings settings) {
        return summary(settings, new Ports(settings.port(), settings.adminPort()));
    }

    private static List<Setting> summary(ServiceSettings settings, Ports ports) {
        return List.of(
                new Setting("Client ID", settings.clientId().orElse("not set")),
                new Setting("Client secret", settings.clientSecret().isPresent() ? "set (hidden)" : "not set"),
                new Setting("Redirect URI", settings.redirectUri().toString()),
                new Setting("Allowed return origins",
                        String.join(", ", SettingsLoader.sorted(settings.returnToPolicy().allowedOrigins()))),
                new Setting("Default return_to", settings.defaultReturnTo().uri().toString()),
                new Setting("CORS origins", String.join(", ", CorsOrigins.describe(settings.cors()))),
                new Setting("Session store", settings.store().describe()),
                new Setting("Pending TTL", settings.pendingTtl().toSeconds() + " s"),
                new Setting("Result TTL", settings.resultTtl().toSeconds() + " s"),
                new Setting("SoundCloud", soundCloud(settings, ports.publicPort()) + " · timeout "
                        + settings.upstreamTimeout().toMillis() + " ms"),
                new Setting("SoundCloud connections", settings.soundCloudKeepAlive().isZero()
                        ? "a fresh one per call" : "kept alive for " + settings.soundCloudKeepAlive().toSeconds() + " s idle"),
                new Setting("Listeners", "public " + settings.host() + ":" + ports.publicPort() + " · admin "
                        + settings.host() + ":" + ports.adminPort()),
                new Setting("Admin user", settings.adminUser()),
                new Setting("Refresh reuse window", settings.refreshReuse().isZero() ? "off"
                        : settings.refreshReuse().toSeconds() + " s"),
                new Setting("Token breaker", "opens after " + settings.breaker().failuresToOpen()
                        + " failures in a row · " + settings.breaker().openFor().toSeconds() + " s, doubling up to "
                        + settings.breaker().maxOpenFor().toSeconds() + " s"),
                new Setting("Internal API", settings.internalApiKey().isPresent()
                        ? "on: GET /internal/soundcloud/app-token (INTERNAL_API_TOKEN set, hidden)"
                        : "off (INTERNAL_API_TOKEN not set)"),
                new Setting("App token renewal", settings.appTokenRenewBefore().toSeconds() + " s before expiry"),
                new Setting("Trusted proxies", settings.fairUse().proxies().toString()),
                new Setting("Pending logins per client", Integer.toString(settings.fairUse().pendingPerClient())),
                new Setting("Rate limits per client", settings.fairUse().describeBudgets()),
                new Setting("Pickup binding", settings.fairUse().bindPickup() ? "client" : "none"),
                new Setting("Connections", "request head within " + settings.fairUse().requestHeadTimeout().toSeconds()
                        + " s · keep-alive " + settings.fairUse().keepAliveTimeout().toSeconds() + " s · at most "
                        + settings.fairUse().connectionsPerClient() + " per client"));
    }

    /** Live: the base URLs called. Sandbox: where the stand-in answers, because the base URLs are then ignored. */
    private static String soundCloud(ServiceSettings settings, int publicPort) {
        return switch (settings.soundCloud()) {
            case SoundCloudMode.Live live -> live.describe();
            case SoundCloudMode.Sandbox sandbox -> "sandbox: the in-process stand-in at "
                    + SandboxWiring.baseUrl(sandbox.options(), publicPort)
                    + " (SOUNDCLOUD_AUTH_BASE_URL and SOUNDCLOUD_API_BASE_URL are ignored)";
        };
    }
}
