package dev.starlib.auth.application;

import dev.starlib.auth.domain.AppToken;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.AppTokenState.CredentialsVerdict;
import dev.starlib.auth.domain.RenewalFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What operators may see of the app token (dashboard, readiness, metrics): times and outcomes, never the token.
 *
 * @param validUntil    when the token expires, while it is valid
 * @param renewalDueAt  when it falls due for renewal, while it is valid
 * @param lastRenewedAt when the token kept now was obtained (valid or not)
 * @param lastRenewedBy whether that was a grant or a refresh
 * @param lastFailure   the last attempt's failure, until an attempt succeeds
 * @param credentials   what SoundCloud last said about CLIENT_ID/CLIENT_SECRET
 */
public record AppTokenStatus(Optional<Instant> validUntil, Optional<Instant> renewalDueAt,
                             Optional<Instant> lastRenewedAt, Optional<AppToken.Source> lastRenewedBy,
                             Optional<RenewalFailure> lastFailure, CredentialsVerdict credentials) {

    public AppTokenStatus {
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(renewalDueAt, "renewalDueAt");
        Objects.requireNonNull(lastRenewedAt, "lastRenewedAt");
        Objects.requireNonNull(lastRenewedBy, "lastRenewedBy");
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(credentials, "credentials");
    }

    static AppTokenStatus of(AppTokenState state, Instant now, Duration renewBefore) {
        Optional<AppToken> valid = state.validAt(now);
        return new AppTokenStatus(valid.map(AppToken::expiresAt), valid.map(t -> t.renewalDueAt(renewBefore)),
                state.token().map(AppToken::obtainedAt), state.token().map(AppToken::source), state.lastFailure(),
                state.credentialsVerdict());
    }

    /** How long the token still lives at {@code now}; empty when there is no valid one. */
    public Optional<Duration> expiresIn(Instant now) {
        return validUntil.map(until -> Duration.between(now, until)).filter(left -> !left.isNegative());
    }
}
