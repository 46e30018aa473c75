package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.ServiceHealth;

import java.time.Clock;
import java.util.Objects;

/** What the admin pages read and act on: the operators' use cases, meters and health, never a port. */
public record AdminConsole(SessionOverview sessions, CancelLogin cancelLogin, AuthMetrics metrics, ServiceHealth health,
                           ConfigurationSummary configuration, Clock clock) {

    public AdminConsole {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(cancelLogin, "cancelLogin");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(clock, "clock");
    }
}
