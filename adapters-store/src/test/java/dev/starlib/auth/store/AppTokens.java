package dev.starlib.auth.store;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.RenewalFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** App token states for vault tests, each with tokens of its own that a test can look for in the files. */
public final class AppTokens {

    public static final CredentialsFingerprint CREDENTIALS = CredentialsFingerprint.of("vault-client", "vault-secret");
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private AppTokens() {
    }

    /** A granted, refreshable token obtained at {@code at} (to the nanosecond, so round trips are exact). */
    public static AppTokenState granted(Instant at) {
        int n = SERIAL.incrementAndGet();
        AppTokenGrant grant = new AppTokenGrant(new AccessToken("APP-ACCESS-" + n + "-c0ffee"),
                Optional.of(new RefreshToken("APP-REFRESH-" + n + "-beef")), Duration.ofSeconds(3599));
        return AppTokenState.empty(CREDENTIALS).renewed(AppToken.of(grant, at.plusNanos(n), AppToken.Source.GRANT));
    }

    /** A refreshed token without a refresh token of its own, and a failure after it. */
    public static AppTokenState refreshedThenFailed(Instant at) {
        int n = SERIAL.incrementAndGet();
        AppTokenGrant grant = new AppTokenGrant(new AccessToken("APP-ACCESS-" + n + "-f00d"), Optional.empty(),
                Duration.ofMinutes(61));
        return AppTokenState.empty(CREDENTIALS).renewed(AppToken.of(grant, at, AppToken.Source.REFRESH))
                .failed(RenewalFailure.rateLimited(at.plusSeconds(5).plusNanos(7), Optional.of(at.plusSeconds(3600))));
    }

    public static String accessOf(AppTokenState state) {
        return state.token().orElseThrow().accessToken().value();
    }

    public static Optional<String> refreshOf(AppTokenState state) {
        return state.token().orElseThrow().refreshToken().map(RefreshToken::value);
    }
}
