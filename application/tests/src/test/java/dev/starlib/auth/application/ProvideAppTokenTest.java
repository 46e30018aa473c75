package dev.starlib.auth.application;

import dev.starlib.auth.application.ProvideAppToken.Result;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.AppTokenState.CredentialsVerdict;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.domain.RenewalFailure;
import dev.starlib.auth.domain.RenewalFailure.Cause;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.starlib.auth.application.FakeSoundCloud.APP_GRANT;
import static dev.starlib.auth.application.FakeSoundCloud.APP_REFRESHED;
import static org.assertj.core.api.Assertions.assertThat;

/** The app token over the real memory store: one grant however many ask, renewed in time, held off on failure. */
class ProvideAppTokenTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final CredentialsFingerprint CREDENTIALS = CredentialsFingerprint.of("app-client", "app-secret");
    private static final Duration IN_THE_WINDOW = Duration.ofMinutes(56);

    private final MutableClock clock = new MutableClock(T0);
    private final SwitchableMemoryStore vault = new SwitchableMemoryStore();
    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    /** The token endpoint's breaker, shared with logins and refreshes in the service. */
    private final TokenEndpointBreaker breaker = Fixtures.breaker(clock, events);
    private final ProvideAppToken appToken = appTokenFor(CREDENTIALS);
    private ExecutorService askers;

    private ProvideAppToken appTokenFor(CredentialsFingerprint credentials) {
        return new ProvideAppToken(vault, soundCloud, breaker, credentials, RENEW_BEFORE, clock, events);
    }

    @AfterEach
    void stopAskers() {
        if (askers != null) {
            askers.shutdownNow();
        }
    }

    private static Result.Issued issued(Result result) {
        assertThat(result).isInstanceOf(Result.Issued.class);
        return (Result.Issued) result;
    }

    private static Result.Failed failed(Result result) {
        assertThat(result).isInstanceOf(Result.Failed.class);
        return (Result.Failed) result;
    }

    private AppTokenStatus status() {
        return ((StoreReading.Read<AppTokenStatus>) appToken.status()).value();
    }

    // --- one grant, many uses ---------------------------------------------------------------------------

    @Test
    void theFirstRequestGrantsATokenAndEveryLaterOneIsServedFromTheVault() {
        for (int use = 0; use < 20; use++) {
            Result.Issued issued = issued(appToken.current());
            assertThat(issued.accessToken()).isEqualTo(APP_GRANT.accessToken());
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(soundCloud.appTokenRefreshes).isEmpty();
        assertThat(events.appTokenRenewals).containsExactly("grant:success");
        assertThat(events.appTokenRequests).hasSize(20).containsOnly("served");
    }

    @Test
    void expiresInIsTheTimeTheTokenStillLives() {
        appToken.current();
        clock.advance(Duration.ofMinutes(10));

        assertThat(issued(appToken.current()).expiresIn()).isEqualTo(Duration.ofMinutes(50));
    }

    @Test
    void concurrentAskersCauseOneGrantAndAllGetItsToken() throws Exception {
        CountDownLatch grantStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        soundCloud.answerAppGrant(() -> {
            grantStarted.countDown();
            await(release);
            return new UpstreamResult.Success<>(APP_GRANT);
        });
        int askersCount = 16;
        askers = Executors.newFixedThreadPool(askersCount);
        List<Future<Result>> answers = new ArrayList<>();
        for (int i = 0; i < askersCount; i++) {
            answers.add(askers.submit(appToken::current));
        }
        assertThat(grantStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // Give the others time to arrive and wait their turn; whoever comes later finds the token kept anyway.
        Thread.sleep(200);
        release.countDown();

        for (Future<Result> answer : answers) {
            assertThat(issued(answer.get(10, TimeUnit.SECONDS)).accessToken()).isEqualTo(APP_GRANT.accessToken());
        }
        assertThat(soundCloud.appTokenGrants).hasSize(1);
    }

    @Test
    void aTokenKeptForOtherCredentialsIsNeverServedUnderOurs() {
        appTokenFor(CredentialsFingerprint.of("app-client", "old-secret")).current();
        soundCloud.answerAppGrant(new UpstreamResult.Success<>(APP_REFRESHED));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenGrants).hasSize(2);
    }

    // --- renewal ------------------------------------------------------------------------------------------

    @Test
    void insideTheRenewalWindowTheTokenIsRenewedByItsRefreshToken() {
        appToken.current();
        clock.advance(IN_THE_WINDOW);

        Result.Issued issued = issued(appToken.current());

        assertThat(issued.accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenRefreshes).containsExactly(APP_GRANT.refreshToken().orElseThrow());
        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(status().lastRenewedBy()).contains(AppToken.Source.REFRESH);
        assertThat(status().lastRenewedAt()).contains(T0.plus(IN_THE_WINDOW));
        // The refresh token SoundCloud rotated is the one used next time.
        clock.advance(IN_THE_WINDOW);
        appToken.current();
        assertThat(soundCloud.appTokenRefreshes).last().isEqualTo(APP_REFRESHED.refreshToken().orElseThrow());
    }

    @Test
    void justBeforeTheWindowNoRenewalHappens() {
        appToken.current();
        clock.advance(IN_THE_WINDOW.minusMinutes(1).minusSeconds(1));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenRefreshes).isEmpty();
    }

    @Test
    void aRefusedRefreshFallsBackToANewGrant() {
        appToken.current();
        clock.advance(IN_THE_WINDOW);
        soundCloud.answerAppRefresh(new UpstreamResult.Rejected<>("invalid_grant", 400));
        soundCloud.answerAppGrant(new UpstreamResult.Success<>(APP_REFRESHED));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenRefreshes).hasSize(1);
        assertThat(soundCloud.appTokenGrants).hasSize(2);
        assertThat(events.appTokenRenewals).containsExactly("grant:success", "refresh:invalid_grant", "grant:success");
        assertThat(status().lastRenewedBy()).contains(AppToken.Source.GRANT);
    }

    @Test
    void aGrantWithoutARefreshTokenIsRenewedByAnotherGrant() {
        AppTokenGrant plain = new AppTokenGrant(new AccessToken("plain-app-token"), Optional.empty(), Duration.ofHours(1));
        soundCloud.answerAppGrant(new UpstreamResult.Success<>(plain));
        appToken.current();
        clock.advance(IN_THE_WINDOW);

        appToken.current();

        assertThat(soundCloud.appTokenRefreshes).isEmpty();
        assertThat(soundCloud.appTokenGrants).hasSize(2);
    }

    @Test
    void anExpiredTokenIsRenewedByItsRefreshTokenBeforeItIsServed() {
        appToken.current();
        clock.advance(Duration.ofHours(3));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(soundCloud.appTokenRefreshes).hasSize(1);
    }

    @Test
    void theScheduleRenewsOnlyWhatIsDue() {
        appToken.renewIfDue();
        assertThat(soundCloud.appTokenGrants).hasSize(1);

        clock.advance(Duration.ofMinutes(30));
        appToken.renewIfDue();
        assertThat(soundCloud.totalCalls()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(26));
        appToken.renewIfDue();
        assertThat(soundCloud.appTokenRefreshes).hasSize(1);
        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.totalCalls()).isEqualTo(2);
    }

    // --- when SoundCloud cannot give one ------------------------------------------------------------------

    @Test
    void anOutageWithAValidTokenServesItAndHoldsFurtherAttemptsOff() {
        appToken.current();
        clock.advance(IN_THE_WINDOW);
        soundCloud.answerAppRefresh(new UpstreamResult.Unavailable<>("HTTP 503"));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        clock.advance(Duration.ofSeconds(9));
        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenRefreshes).hasSize(1);
        assertThat(soundCloud.appTokenGrants).as("an outage is no reason to spend a grant").hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        soundCloud.answerAppRefresh(new UpstreamResult.Success<>(APP_REFRESHED));
        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenRefreshes).hasSize(2);
    }

    @Test
    void anOutageWithoutAValidTokenFailsWithWhenToRetryAndCallsNoMoreUntilThen() {
        soundCloud.answerAppGrant(new UpstreamResult.Unavailable<>("HTTP 502"));

        Result.Failed first = failed(appToken.current());
        clock.advance(Duration.ofSeconds(4));
        Result.Failed second = failed(appToken.current());

        assertThat(first.cause()).isEqualTo(Cause.UPSTREAM_UNAVAILABLE);
        assertThat(first.retryAfterSeconds()).isEqualTo(10);
        assertThat(second.retryAfterSeconds()).isEqualTo(6);
        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(events.appTokenRequests).containsExactly("upstream_unavailable", "upstream_unavailable");
    }

    @Test
    void aTimeoutWithoutAValidTokenIsATimeout() {
        soundCloud.answerAppGrant(new UpstreamResult.TimedOut<>());

        Result.Failed failed = failed(appToken.current());

        assertThat(failed.cause()).isEqualTo(Cause.UPSTREAM_TIMEOUT);
        assertThat(failed.description()).contains("did not answer in time");
        assertThat(events.appTokenRenewals).containsExactly("grant:upstream_timeout");
    }

    @Test
    void invalidClientSaysTheCredentialsAreWrongAndRefusesThem() {
        soundCloud.answerAppGrant(new UpstreamResult.Rejected<>("invalid_client", 401));

        Result.Failed failed = failed(appToken.current());

        assertThat(failed.cause()).isEqualTo(Cause.INVALID_CLIENT);
        assertThat(failed.description()).contains("CLIENT_ID and CLIENT_SECRET");
        assertThat(status().credentials()).isEqualTo(CredentialsVerdict.REFUSED);
        clock.advance(Duration.ofSeconds(30));
        appToken.current();
        assertThat(soundCloud.appTokenGrants).as("held off for a minute").hasSize(1);
    }

    @Test
    void invalidClientOnARefreshIsNotWorkedAroundByAGrant() {
        appToken.current();
        clock.advance(IN_THE_WINDOW);
        soundCloud.answerAppRefresh(new UpstreamResult.Rejected<>("invalid_client", 401));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(status().credentials()).isEqualTo(CredentialsVerdict.REFUSED);
    }

    @Test
    void aGrantedTokenProvesTheCredentials() {
        assertThat(status().credentials()).isEqualTo(CredentialsVerdict.UNKNOWN);

        appToken.current();

        assertThat(status().credentials()).isEqualTo(CredentialsVerdict.ACCEPTED);
        assertThat(status().validUntil()).contains(T0.plus(Duration.ofHours(1)));
        assertThat(status().renewalDueAt()).contains(T0.plus(Duration.ofMinutes(55)));
    }

    @Test
    void aRateLimitHoldsOffUntilItsResetTimeAndSaysSo() {
        Instant reset = T0.plus(Duration.ofMinutes(42));
        soundCloud.answerAppGrant(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofMinutes(42))));

        Result.Failed failed = failed(appToken.current());
        assertThat(failed.cause()).isEqualTo(Cause.RATE_LIMITED);
        assertThat(failed.retryAfterSeconds()).isEqualTo(42 * 60);
        assertThat(failed.description()).contains(reset.toString());

        clock.advance(Duration.ofMinutes(41));
        assertThat(failed(appToken.current()).retryAfterSeconds()).isEqualTo(60);
        appToken.renewIfDue();
        assertThat(soundCloud.appTokenGrants).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        soundCloud.answerAppGrant(new UpstreamResult.Success<>(APP_GRANT));
        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenGrants).hasSize(2);
    }

    // --- the token endpoint's breaker ----------------------------------------------------------------------

    @Test
    void anOpenBreakerHoldsTheAppTokenOffUntilItsNextTryAndSendsNothing() {
        Fixtures.openBreaker(breaker); // refreshes of users' tokens found SoundCloud's token endpoint down

        Result.Failed failed = failed(appToken.current());
        clock.advance(Duration.ofSeconds(4));
        Result.Failed later = failed(appToken.current());

        assertThat(failed.cause()).isEqualTo(Cause.UPSTREAM_UNAVAILABLE);
        assertThat(failed.retryAfterSeconds()).as("the breaker's wait").isEqualTo(10);
        assertThat(later.retryAfterSeconds()).isEqualTo(6);
        assertThat(soundCloud.appTokenGrants).isEmpty();
        assertThat(events.breakerRefusals).as("held off by the vault after the first refusal")
                .containsExactly(AuthEvents.UpstreamEndpoint.APP_TOKEN_GRANT);
        assertThat(events.appTokenRenewals).as("SoundCloud was not asked").isEmpty();
    }

    @Test
    void whenTheBreakersWaitIsOverTheAppTokenGrantIsTheProbeAndClosesIt() {
        Fixtures.openBreaker(breaker);
        appToken.current();

        clock.advance(Duration.ofSeconds(10));

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenGrants).hasSize(1);
        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.CLOSED);
    }

    @Test
    void anOpenBreakerStillServesAValidTokenAndRenewsItByRefreshOnceItCloses() {
        appToken.current();
        clock.advance(IN_THE_WINDOW);
        Fixtures.openBreaker(breaker);

        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_GRANT.accessToken());
        assertThat(soundCloud.appTokenRefreshes).isEmpty();
        assertThat(events.breakerRefusals).containsExactly(AuthEvents.UpstreamEndpoint.APP_TOKEN_REFRESH);
        assertThat(status().credentials()).isEqualTo(CredentialsVerdict.ACCEPTED);

        clock.advance(Duration.ofSeconds(10));
        assertThat(issued(appToken.current()).accessToken()).isEqualTo(APP_REFRESHED.accessToken());
        assertThat(soundCloud.appTokenRefreshes).hasSize(1);
        assertThat(soundCloud.appTokenGrants).as("an open breaker is no reason to spend a grant").hasSize(1);
    }

    @Test
    void appTokenOutagesCountTowardTheBreakerAsEveryTokenCallDoes() {
        soundCloud.answerAppGrant(new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int attempt = 0; attempt < Fixtures.BREAKER.failuresToOpen(); attempt++) {
            clock.advance(RenewalFailure.HOLD_OFF_AFTER_OUTAGE);
            appToken.current();
        }

        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.OPEN);
        assertThat(breaker.status().nextTryAt()).contains(clock.instant().plus(Fixtures.BREAKER.openFor()));
        assertThat(soundCloud.appTokenGrants).hasSize(Fixtures.BREAKER.failuresToOpen());
    }

    @Test
    void aRateLimitOrInvalidClientIsAnAnswerAndNeverOpensTheBreaker() {
        soundCloud.answerAppGrant(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(1))));
        for (int attempt = 0; attempt < 5; attempt++) {
            appToken.current();
            clock.advance(Duration.ofMinutes(1));
        }
        soundCloud.answerAppGrant(new UpstreamResult.Rejected<>("invalid_client", 401));
        for (int attempt = 0; attempt < 5; attempt++) {
            appToken.current();
            clock.advance(RenewalFailure.HOLD_OFF_AFTER_REFUSAL);
        }

        assertThat(soundCloud.appTokenGrants).hasSize(10);
        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.CLOSED);
    }

    @Test
    void aStoreThatCannotBeUsedMeansNoCallToSoundCloud() {
        vault.breakDown();

        assertThat(appToken.current()).isEqualTo(new Result.StoreUnavailable("disk full (test)"));
        appToken.renewIfDue();
        assertThat(appToken.status()).isInstanceOf(StoreReading.Unavailable.class);
        assertThat(soundCloud.totalCalls()).isZero();
        assertThat(events.appTokenRequests).containsExactly("store_unavailable");
    }

    @Test
    void theTokenIsNeverPrinted() {
        Result issued = appToken.current();

        assertThat(issued.toString()).doesNotContain(APP_GRANT.accessToken().value());
        assertThat(status().toString()).doesNotContain(APP_GRANT.accessToken().value())
                .doesNotContain(APP_GRANT.refreshToken().orElseThrow().value());
        assertThat(vault.read()).map(AppTokenState::toString).hasValueSatisfying(text ->
                assertThat(text).doesNotContain(APP_GRANT.accessToken().value()));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
