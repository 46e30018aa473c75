package dev.starlib.auth.http.observe;

import io.helidon.health.HealthCheckResponse;

/** Readiness: without CLIENT_ID and CLIENT_SECRET every login answers 503, so the service is not ready. */
final class CredentialsCheck extends ReadinessCheck {

    static final String NAME = "credentials";

    private final boolean configured;

    CredentialsCheck(boolean configured) {
        super(NAME);
        this.configured = configured;
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
