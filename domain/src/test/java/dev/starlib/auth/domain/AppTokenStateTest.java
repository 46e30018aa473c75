package dev.starlib.auth.domain;

import dev.starlib.auth.domain.AppTokenState.CredentialsVerdict;
import dev.starlib.auth.domain.AppTokenState.Plan;
import dev.starlib.auth.domain.RenewalFailure.Cause;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the app token is served, held off or renewed, and what every outcome leaves behind. */
class AppTokenStateTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final CredentialsFingerprint OURS = CredentialsFingerprint.of("client", "secret");
    private static final RefreshToken REFRESH = new RefreshToken("app-refresh-1");

    private static AppToken token(Instant obtainedAt, Duration lifetime, Optional<RefreshToken> refresh) {
        return AppToken.of(new AppTokenGrant(new AccessToken("app-access-1"), refresh, lifetime), obtainedAt,
                AppToken.Source.GRANT);
    }

    private static AppTokenState holding(AppToken token) {
        return AppTokenState.empty(OURS).renewed(token);
    }

    @Test
    void nothingStoredIsRenewedByAGrant() {
        assertThat(AppTokenState.empty(OURS).plan(T0, RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.empty(), Optional.empty()));
    }

    @Test
    void validTokenOutsideTheRenewalWindowIsServed() {
        AppToken token = token(T0, HOUR, Optional.of(REFRESH));

        assertThat(holding(token).plan(T0.plus(Duration.ofMinutes(54)).plusSeconds(59), RENEW_BEFORE))
                .isEqualTo(new Plan.Serve(token));
    }

    @Test
    void tokenInsideTheRenewalWindowIsRenewedByItsRefreshTokenWhileStillValid() {
        AppToken token = token(T0, HOUR, Optional.of(REFRESH));

        assertThat(holding(token).plan(T0.plus(Duration.ofMinutes(55)), RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.of(REFRESH), Optional.of(token)));
    }

    @Test
    void tokenWithoutARefreshTokenIsRenewedByAGrant() {
        AppToken token = token(T0, HOUR, Optional.empty());

        assertThat(holding(token).plan(T0.plus(Duration.ofMinutes(56)), RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.empty(), Optional.of(token)));
    }

    @Test
    void expiredTokenIsNeverServedButItsRefreshTokenIsStillTried() {
        AppToken token = token(T0, HOUR, Optional.of(REFRESH));

        assertThat(holding(token).plan(T0.plus(HOUR), RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.of(REFRESH), Optional.empty()));
    }

    @Test
    void aTokenShorterThanTheWindowIsUsedForHalfItsLifeBeforeRenewing() {
        AppToken token = token(T0, Duration.ofSeconds(62), Optional.empty());

        assertThat(token.renewalDueAt(RENEW_BEFORE)).isEqualTo(T0.plusSeconds(31));
        assertThat(holding(token).plan(T0.plusSeconds(30), RENEW_BEFORE)).isInstanceOf(Plan.Serve.class);
        assertThat(holding(token).plan(T0.plusSeconds(31), RENEW_BEFORE)).isInstanceOf(Plan.Renew.class);
    }

    @Test
    void afterAFailureNoAttemptIsMadeUntilItsRetryTimeAndAValidTokenIsServedMeanwhile() {
        AppToken token = token(T0, HOUR, Optional.of(REFRESH));
        Instant failedAt = T0.plus(Duration.ofMinutes(56));
        RenewalFailure failure = RenewalFailure.of(Cause.UPSTREAM_UNAVAILABLE, failedAt);
        AppTokenState state = holding(token).failed(failure);

        assertThat(state.plan(failure.retryAt().minusMillis(1), RENEW_BEFORE))
                .isEqualTo(new Plan.HoldOff(failure, Optional.of(token)));
        assertThat(state.plan(failure.retryAt(), RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.of(REFRESH), Optional.of(token)));
    }

    @Test
    void afterAFailureWithNoValidTokenTheRequestIsHeldOffEmptyHanded() {
        RenewalFailure failure = RenewalFailure.rateLimited(T0, Optional.of(T0.plus(Duration.ofMinutes(20))));

        assertThat(AppTokenState.empty(OURS).failed(failure).plan(T0.plus(Duration.ofMinutes(19)), RENEW_BEFORE))
                .isEqualTo(new Plan.HoldOff(failure, Optional.empty()));
    }

    @Test
    void anOldFailureDoesNotStopAFreshTokenFromBeingServed() {
        AppToken token = token(T0, HOUR, Optional.empty());
        AppTokenState state = holding(token).failed(RenewalFailure.of(Cause.UPSTREAM_TIMEOUT, T0));

        assertThat(state.plan(T0.plusSeconds(1), RENEW_BEFORE)).isEqualTo(new Plan.Serve(token));
    }

    @Test
    void aRenewalClearsTheFailureAndReplacesTheToken() {
        AppToken old = token(T0, HOUR, Optional.of(REFRESH));
        AppToken fresh = token(T0.plus(Duration.ofMinutes(55)), HOUR, Optional.of(new RefreshToken("app-refresh-2")));

        AppTokenState state = holding(old).failed(RenewalFailure.of(Cause.UPSTREAM_TIMEOUT, T0)).renewed(fresh);

        assertThat(state.token()).contains(fresh);
        assertThat(state.lastFailure()).isEmpty();
    }

    @Test
    void aRefusedRefreshTokenIsDroppedAndTheAccessTokenKept() {
        AppToken token = token(T0, HOUR, Optional.of(REFRESH));

        AppTokenState state = holding(token).withoutRefreshToken();

        assertThat(state.token()).hasValueSatisfying(t -> {
            assertThat(t.refreshToken()).isEmpty();
            assertThat(t.accessToken()).isEqualTo(token.accessToken());
            assertThat(t.expiresAt()).isEqualTo(token.expiresAt());
        });
        assertThat(state.plan(T0.plus(Duration.ofMinutes(58)), RENEW_BEFORE))
                .isEqualTo(new Plan.Renew(Optional.empty(), state.token()));
    }

    @Test
    void aStateKeptForOtherCredentialsIsNothingForOurs() {
        AppTokenState theirs = AppTokenState.empty(CredentialsFingerprint.of("client", "old-secret"))
                .renewed(token(T0, HOUR, Optional.of(REFRESH)))
                .failed(RenewalFailure.of(Cause.INVALID_CLIENT, T0));

        assertThat(AppTokenState.seenBy(OURS, Optional.of(theirs))).isEqualTo(AppTokenState.empty(OURS));
        assertThat(AppTokenState.seenBy(OURS, Optional.empty())).isEqualTo(AppTokenState.empty(OURS));
    }

    @Test
    void aStateKeptForOurCredentialsIsTheStoredOneItself() {
        AppTokenState ours = holding(token(T0, HOUR, Optional.empty()));

        assertThat(AppTokenState.seenBy(OURS, Optional.of(ours))).isSameAs(ours);
    }

    @Test
    void credentialsAreRefusedAfterInvalidClientEvenWithAValidTokenAndAcceptedOnceATokenIsGranted() {
        AppToken token = token(T0, HOUR, Optional.empty());

        assertThat(AppTokenState.empty(OURS).credentialsVerdict()).isEqualTo(CredentialsVerdict.UNKNOWN);
        assertThat(AppTokenState.empty(OURS).failed(RenewalFailure.of(Cause.UPSTREAM_TIMEOUT, T0)).credentialsVerdict())
                .isEqualTo(CredentialsVerdict.UNKNOWN);
        assertThat(holding(token).credentialsVerdict()).isEqualTo(CredentialsVerdict.ACCEPTED);
        assertThat(holding(token).failed(RenewalFailure.of(Cause.RATE_LIMITED, T0)).credentialsVerdict())
                .isEqualTo(CredentialsVerdict.ACCEPTED);
        assertThat(holding(token).failed(RenewalFailure.of(Cause.INVALID_CLIENT, T0)).credentialsVerdict())
                .isEqualTo(CredentialsVerdict.REFUSED);
    }

    @Test
    void aTokenLivesFromTheMomentItsRequestWentOut() {
        AppToken token = token(T0, Duration.ofSeconds(3599), Optional.empty());

        assertThat(token.expiresAt()).isEqualTo(T0.plusSeconds(3599));
        assertThat(token.isValidAt(T0.plusSeconds(3598))).isTrue();
        assertThat(token.isValidAt(T0.plusSeconds(3599))).isFalse();
        assertThat(token.lifeLeft(T0.plusSeconds(3000))).isEqualTo(Duration.ofSeconds(599));
        assertThat(token.lifeLeft(T0.plusSeconds(4000))).isEqualTo(Duration.ZERO);
    }

    @Test
    void aGrantMustLiveAndATokenMustExpireAfterItWasObtained() {
        assertThatThrownBy(() -> new AppTokenGrant(new AccessToken("a"), Optional.empty(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppToken(new AccessToken("a"), Optional.empty(), T0, T0, AppToken.Source.GRANT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
