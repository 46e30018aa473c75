package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.time.Clock;

/** Readiness: a store that cannot take a write cannot start a login. Also says how full it is. */
final class SessionStoreCheck implements HealthCheck {

    static final String NAME = "sessionStore";

    private final SessionStore store;
    private final Clock clock;

    SessionStoreCheck(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.probeWritable();
            SessionStore.StoreCounts counts = store.counts(clock.instant());
            return HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.UP)
                    .detail("writable", true)
                    .detail("sessions", counts.total())
                    .build();
        } catch (SessionStoreException e) {
            // The message names the store's directory and the I/O error: for operators, on the admin port only.
            return HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.DOWN)
                    .detail("writable", false)
                    .detail("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
