package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.ServiceHealth;

import java.time.Clock;
import java.util.Objects;

/** What the admin pages read and act on. */
public record AdminConsole(SessionStore store, AuthMetrics metrics, ServiceHealth health,
                           ConfigurationSummary configuration, Clock clock) {

    public AdminConsole {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(clock, "clock");
    }
}
