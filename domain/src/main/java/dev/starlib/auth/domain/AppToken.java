package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The app's own SoundCloud token, as every instance shares it: what was granted, when it was asked for, when it
 * expires and how it was obtained. Its lifetime is counted from the moment the request went out, so the token is
 * never thought to live longer than SoundCloud meant. Never printed.
 *
 * @param obtainedAt when the grant or refresh that produced it was sent
 * @param source     a new client-credentials grant, or a refresh of the previous token
 */
public record AppToken(AccessToken accessToken, Optional<RefreshToken> refreshToken, Instant obtainedAt,
                       Instant expiresAt, Source source) {

    /** How a token was obtained: a grant costs one of SoundCloud's client-credentials quota, a refresh does not. */
    public enum Source {
        GRANT, REFRESH;

        /** The stable label for metrics and logs. */
        public String label() {
            return this == GRANT ? "grant" : "refresh";
        }
    }

    public AppToken {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(source, "source");
        if (!expiresAt.isAfter(obtainedAt)) {
            throw new IllegalArgumentException("an app token expires after it was obtained");
        }
    }

    /** The token a grant produced, living {@code expires_in} from {@code requestedAt}. */
    public static AppToken of(AppTokenGrant grant, Instant requestedAt, Source source) {
        return new AppToken(grant.accessToken(), grant.refreshToken(), requestedAt,
                requestedAt.plus(grant.expiresIn()), source);
    }

    /** Usable at {@code now}: SoundCloud still accepts it. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * When renewing it falls due: {@code renewBefore} ahead of its expiry, but never earlier than half way through its
     * life, so that a token SoundCloud grants for less than the renewal window is still used for a while instead
     * of being renewed on every request.
     */
    public Instant renewalDueAt(Duration renewBefore) {
        Objects.requireNonNull(renewBefore, "renewBefore");
        Duration half = Duration.between(obtainedAt, expiresAt).dividedBy(2);
        Duration ahead = renewBefore.compareTo(half) < 0 ? renewBefore : half;
        return expiresAt.minus(ahead.isNegative() ? Duration.ZERO : ahead);
    }

    public boolean isDueAt(Instant now, Duration renewBefore) {
        return !now.isBefore(renewalDueAt(renewBefore));
    }

    /** The time it still lives at {@code now}, zero once expired. */
    public Duration lifeLeft(Instant now) {
        Duration left = Duration.between(now, expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The same token without its refresh token: SoundCloud refused that one, so it is never sent again. */
    public AppToken withoutRefreshToken() {
        return new AppToken(accessToken, Optional.empty(), obtainedAt, expiresAt, source);
    }

    @Override
    public String toString() {
        return "AppToken[obtainedAt=" + obtainedAt + ", expiresAt=" + expiresAt + ", source=" + source.label()
                + ", refreshable=" + refreshToken.isPresent() + "]";
    }
}
