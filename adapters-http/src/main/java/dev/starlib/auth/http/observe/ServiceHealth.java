package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.SessionOverview;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service's health checks: readiness (credentials, session store, SoundCloud as last seen, and, with the app
 * token, whether SoundCloud accepts the credentials) plus the liveness checks bootstrap passes in. The same checks
 * feed {@code /observe/health} and the dashboard.
 */
public final class ServiceHealth {

    private final List<HealthCheck> checks;

    public ServiceHealth(boolean credentialsConfigured, SessionOverview sessions, AuthMetrics metrics, Clock clock,
                         List<HealthCheck> liveness) {
        this(credentialsConfigured, sessions, Optional.empty(), metrics, clock, liveness);
    }

    /** @param appToken the app token use case, whose grant proves the credentials (empty without credentials) */
    public ServiceHealth(boolean credentialsConfigured, SessionOverview sessions, Optional<ProvideAppToken> appToken,
                         AuthMetrics metrics, Clock clock, List<HealthCheck> liveness) {
        List<HealthCheck> all = new ArrayList<>();
        all.add(new CredentialsCheck(credentialsConfigured));
        all.add(new SessionStoreCheck(sessions));
        all.add(new SoundCloudCheck(metrics::lastUpstreamCall, metrics::breakerStatus, clock));
        appToken.ifPresent(token -> all.add(new ClientCredentialsCheck(token)));
        all.addAll(liveness);
        this.checks = List.copyOf(all);
    }

    public List<HealthCheck> checks() {
        return checks;
    }

    /** Runs every check now; a check that throws is reported as ERROR rather than breaking the page. */
    public HealthReport report() {
        return new HealthReport(checks.stream().map(ServiceHealth::run).toList());
    }

    private static CheckResult run(HealthCheck check) {
        String type = check.type().name().toLowerCase(Locale.ROOT);
        try {
            HealthCheckResponse response = check.call();
            Map<String, String> details = new LinkedHashMap<>();
            response.details().forEach((key, value) -> details.put(key, String.valueOf(value)));
            return new CheckResult(check.name(), type, response.status().name(), details);
        } catch (RuntimeException e) {
            return new CheckResult(check.name(), type, HealthCheckResponse.Status.ERROR.name(),
                    Map.of("error", e.getClass().getSimpleName()));
        }
    }
}
