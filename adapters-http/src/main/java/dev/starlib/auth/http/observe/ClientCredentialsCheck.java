package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.AppTokenStatus;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.StoreReading;
import dev.starlib.auth.domain.AppTokenState.CredentialsVerdict;
import io.helidon.health.HealthCheckResponse;

/**
 * Readiness: whether SoundCloud accepts CLIENT_ID/CLIENT_SECRET, as the app token's client-credentials grant proves
 * (no other call does before a user signs in). DOWN only when SoundCloud answered {@code invalid_client}, a
 * configuration error an operator must fix; an outage or a rate limit leaves it UP (decision 0005: SoundCloud's
 * trouble reports, it does not vote). The token is never shown, only its times.
 */
final class ClientCredentialsCheck extends ReadinessCheck {

    static final String NAME = "clientCredentials";

    private final ProvideAppToken appToken;

    ClientCredentialsCheck(ProvideAppToken appToken) {
        super(NAME);
        this.appToken = appToken;
    }

    @Override
    public HealthCheckResponse call() {
        return switch (appToken.status()) {
            case StoreReading.Read<AppTokenStatus> read -> answer(read.value());
            case StoreReading.Unavailable<AppTokenStatus> unavailable -> HealthCheckResponse.builder()
                    .status(HealthCheckResponse.Status.UP)
                    .detail("accepted", "unknown")
                    .detail("detail", "not known: the session store, which keeps the app token, cannot be read")
                    .build();
        };
    }

    private static HealthCheckResponse answer(AppTokenStatus status) {
        CredentialsVerdict verdict = status.credentials();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .status(verdict != CredentialsVerdict.REFUSED)
                .detail("accepted", switch (verdict) {
                    case ACCEPTED -> "yes";
                    case REFUSED -> "no";
                    case UNKNOWN -> "unknown";
                })
                .detail("detail", switch (verdict) {
                    case ACCEPTED -> "SoundCloud granted the app token for CLIENT_ID/CLIENT_SECRET";
                    case REFUSED -> "SoundCloud refuses CLIENT_ID/CLIENT_SECRET (invalid_client): fix them and restart";
                    case UNKNOWN -> "not proven yet: no app token has been granted for these credentials";
                });
        status.validUntil().ifPresent(until -> response.detail("appTokenValidUntil", until.toString()));
        status.lastRenewedAt().ifPresent(at -> response.detail("lastRenewalAt", at.toString()));
        status.lastRenewedBy().ifPresent(by -> response.detail("lastRenewalBy", by.label()));
        status.lastFailure().ifPresent(failure -> response
                .detail("lastFailure", failure.cause().code())
                .detail("lastFailureAt", failure.at().toString())
                .detail("nextAttemptNotBefore", failure.retryAt().toString()));
        return response.build();
    }
}
