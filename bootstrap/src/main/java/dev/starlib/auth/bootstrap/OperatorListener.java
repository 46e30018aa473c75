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
    private final Optional<ProvideAppToken> appToken;

    OperatorListener(ServiceSettings settings, SessionOverview sessions, CancelLogin cancelLogin,
                     Optional<ProvideAppToken> appToken, AuthMetrics metrics, MeterRegistry registry, Clock clock,
                     Protection protection) {
        this.protection = protection;
        this.settings = settings;
        this.registry = registry;
        this.appToken = appToken;
        this.health = new ServiceHealth(settings.credentialsConfigured(), sessions, appToken, metrics, clock,
                List.of(HealthChecks.deadlockCheck(), HealthChecks.heapMemoryCheck()));
        this.credentials = credentials(settings);
        this.console = new AdminConsole(sessions, cancelLogin, metrics, health, summary(settings), clock, appToken);
    }

    void configure(ListenerConfig.Builder socket) {
        protection.bound(socket).host(settings.host())
                .port(settings.adminPort())
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

    /** Without ADMIN_PASSWORD, one for this run, told once to whoever reads the log. */
    private static AdminCredentials credentials(ServiceSettings settings) {
        if (settings.adminPassword().isPresent()) {
            return AdminCredentials.of(settings.adminUser(), settings.adminPassword().get());
        }
        AdminCredentials generated = AdminCredentials.generate(settings.adminUser(), new SecureRandom());
        LOG.log(System.Logger.Level.WARNING, "ADMIN_PASSWORD is not set: for this run the admin pages take user '"
                + generated.user() + "' with password " + generated.revealPassword()
                + " (set ADMIN_PASSWORD to choose one)");
        return generated;
    }

    /** What the dashboard may show of the settings: the secrets only as set or not. */
    static ConfigurationSummary summary(ServiceSettings settings) {
        return new ConfigurationSummary(List.of(
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
                new Setting("SoundCloud", settings.soundCloud().describe() + " · timeout "
                        + settings.upstreamTimeout().toMillis() + " ms"),
                new Setting("Listeners", "public " + settings.host() + ":" + settings.port() + " · admin "
                        + settings.host() + ":" + settings.adminPort()),
                new Setting("Admin user", settings.adminUser()),
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
                        + settings.fairUse().connectionsPerClient() + " per client")));
    }
}
