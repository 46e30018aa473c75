package dev.starlib.auth.http.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckType;

/** A readiness check under a fixed name: what each check has in common, so that each says only what it checks. */
abstract class ReadinessCheck implements HealthCheck {

    private final String name;

    ReadinessCheck(String name) {
        this.name = name;
    }

    @Override
    public final HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public final String name() {
        return name;
    }
}
