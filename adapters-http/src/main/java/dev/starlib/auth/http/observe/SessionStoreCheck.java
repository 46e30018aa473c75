package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.StoreReading;
import io.helidon.health.HealthCheckResponse;

/** Readiness: a store that cannot take a write cannot start a login. Also says how full it is. */
final class SessionStoreCheck extends ReadinessCheck {

    static final String NAME = "sessionStore";

    private final SessionOverview sessions;

    SessionStoreCheck(SessionOverview sessions) {
        super(NAME);
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        return switch (sessions.writable()) {
            case StoreReading.Read<SessionOverview.Writable> writable -> HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.UP)
                    .detail("writable", true)
                    // The write probe's round trip: for Redis, its latency as this instance sees it.
                    .detail("latencyMs", writable.value().probeLatency().toNanos() / 1_000_000.0)
                    .detail("sessions", writable.value().sessions().total())
                    .build();
            // The reason names the store's directory and the I/O error: for operators, on the admin port only.
            case StoreReading.Unavailable<SessionOverview.Writable> unavailable -> HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.DOWN)
                    .detail("writable", false)
                    .detail("error", unavailable.reason())
                    .build();
        };
    }
}
