package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.ServiceHealth;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admin pages read and act on: the operators' use cases, meters and health, never a port. {@code appToken}
 * is there when the credentials are: the dashboard shows its state, never the token.
 */
public record AdminConsole(SessionOverview sessions, CancelLogin cancelLogin, AuthMetrics metrics, ServiceHealth health,
                           ConfigurationSummary configuration, Clock clock, Optional<ProvideAppToken> appToken) {

    /** Without the app token (no credentials, or a test of the other panels). */
    public AdminConsole(SessionOverview sessions, CancelLogin cancelLogin, AuthMetrics metrics, ServiceHealth health,
                        ConfigurationSummary configuration, Clock clock) {
        this(sessions, cancelLogin, metrics, health, configuration, clock, Optional.empty());
    }

    public AdminConsole {
        Objects.requireNonNull(appToken, "appToken");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(cancelLogin, "cancelLogin");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(clock, "clock");
    }
}
