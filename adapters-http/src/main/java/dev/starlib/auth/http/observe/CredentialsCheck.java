package dev.starlib.auth.http.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness: without CLIENT_ID and CLIENT_SECRET every login answers 503, so the service is not ready. */
final class CredentialsCheck implements HealthCheck {

    static final String NAME = "credentials";

    private final boolean configured;

    CredentialsCheck(boolean configured) {
        this.configured = configured;
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
        return HealthCheckResponse.builder()
                .status(configured)
                .detail("configured", configured)
                .detail("detail", configured ? "CLIENT_ID and CLIENT_SECRET are set"
                        : "CLIENT_ID and CLIENT_SECRET must both be set; restart after setting them")
                .build();
    }
}
