package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.START;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Refresh as the frontend calls it: several at once with one token, again after a lost answer, while SoundCloud is slow. */
class RefreshTokensTest {

    private static final RefreshToken OLD = new RefreshToken("rt-held-by-the-frontend");
    private static final Duration WINDOW = Duration.ofSeconds(60);
    /** Generous: the tests never wait it out unless they mean to; then they use {@link #impatient}. */
    private static final RefreshTokens.Settings SETTINGS =
            new RefreshTokens.Settings(WINDOW, Duration.ofSeconds(20), Duration.ofSeconds(60));
    private static final int CALLERS = 8;

    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final MutableClock clock = new MutableClock(START);
    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final TokenEndpointBreaker breaker = Fixtures.breaker(clock, events);
    private final RefreshTokens refreshTokens = refreshTokens(SETTINGS);
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

    private RefreshTokens refreshTokens(RefreshTokens.Settings settings) {
        return new RefreshTokens(store, soundCloud, breaker, settings, clock, RANDOM, events);
    }

    /** A client that waits a fifth of a second for its answer. */
    private RefreshTokens impatient() {
        return refreshTokens(new RefreshTokens.Settings(WINDOW, Duration.ofMillis(200), Duration.ofSeconds(60)));
    }

    @AfterEach
    void stopCallers() {
        soundCloud.openGate();
        callers.shutdownNow();
    }

    // --- one caller ----------------------------------------------------------------------------------

    @Test
    void successReturnsTheNewTokens() {
        RefreshTokens.Result result = refreshTokens.refresh(OLD);

        assertThat(result).isEqualTo(new RefreshTokens.Result.Refreshed(TOKENS));
        assertThat(soundCloud.refreshes).containsExactly(OLD);
        assertThat(soundCloud.exchanges).isEmpty();
        assertThat(soundCloud.meCalls).isEmpty();
        assertThat(events.refreshesFinished).containsExactly("success");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_grant", 400), Reason.INVALID_GRANT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_client", 401), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("unauthorized_client", 400), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_request", 400), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.Unavailable<Tokens>("HTTP 503"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.RateLimited<Tokens>(Optional.empty()), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<Tokens>(), Reason.UPSTREAM_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresAreReturnedWithAStableReasonAndReported(UpstreamResult<Tokens> answer, Reason expected) {
        soundCloud.answerRefresh(answer);

        RefreshTokens.Result result = refreshTokens.refresh(OLD);

        RefreshTokens.Result.Failed failed = failed(result);
        assertThat(failed.failure().reason()).isEqualTo(expected);
        assertThat(failed.failure().description()).isNotBlank().doesNotContain(OLD.value());
        assertThat(events.refreshesFinished).containsExactly(expected.code());
    }

    @Test
    void aFailureIsNotRememberedSoTheNextTryAsksSoundCloudAgain() {
        soundCloud.answerRefresh(new UpstreamResult.Unavailable<>("HTTP 502"));
        refreshTokens.refresh(OLD);
        soundCloud.answerRefresh(new UpstreamResult.Success<>(TOKENS));

        assertThat(refreshTokens.refresh(OLD)).isEqualTo(new RefreshTokens.Result.Refreshed(TOKENS));
        assertThat(soundCloud.refreshes).hasSize(2);
    }

    @Test
    void rateLimitedSaysWhenToTryAgain() {
        soundCloud.answerRefresh(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(42))));

        RefreshTokens.Result.Failed failed = failed(refreshTokens.refresh(OLD));

        assertThat(failed.failure().reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
        assertThat(failed.failure().retryAfter()).contains(Duration.ofSeconds(42));
    }

    @Test
    void aResetHoursAwayIsPassedOnAsAnHourAtMost() {
        soundCloud.answerRefresh(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofHours(5))));

        assertThat(failed(refreshTokens.refresh(OLD)).failure().retryAfter()).contains(Duration.ofHours(1));
    }

    @Test
    void theRefreshTokenIsNeverPrintedInTheResult() {
        soundCloud.answerRefresh(new UpstreamResult.Rejected<>("invalid_grant", 400));

        assertThat(refreshTokens.refresh(OLD).toString()).doesNotContain(OLD.value());
        soundCloud.answerRefresh(new UpstreamResult.Success<>(TOKENS));
        assertThat(refreshTokens.refresh(new RefreshToken("another")).toString())
                .doesNotContain(TOKENS.refreshToken().value()).doesNotContain(TOKENS.accessToken().value());
    }

    // --- the reuse window ------------------------------------------------------------------------------

    @Test
    void aTokenRotatedWithinTheWindowGetsTheSamePairAgainAndAfterItSoundCloudRefusesIt() {
        soundCloud.rotating(OLD);
        Tokens first = refreshed(refreshTokens.refresh(OLD));

        clock.advance(WINDOW.minusSeconds(1));
        Tokens again = refreshed(refreshTokens.refresh(OLD));

        assertThat(again.accessToken()).isEqualTo(first.accessToken());
        assertThat(again.refreshToken()).isEqualTo(first.refreshToken());
        assertThat(again.expiresIn()).as("counted from now").isEqualTo(first.expiresIn().minus(WINDOW.minusSeconds(1)));
        assertThat(soundCloud.refreshes).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        RefreshTokens.Result.Failed afterWindow = failed(refreshTokens.refresh(OLD));

        assertThat(afterWindow.failure().reason()).isEqualTo(Reason.INVALID_GRANT);
        assertThat(soundCloud.refreshes).hasSize(2);
        assertThat(events.refreshesFinished).containsExactly("success", "reused", "invalid_grant");
    }

    @Test
    void theNewTokenRefreshesNormallyWhileTheOldOneIsStillInItsWindow() {
        soundCloud.rotating(OLD);
        Tokens first = refreshed(refreshTokens.refresh(OLD));

        Tokens second = refreshed(refreshTokens.refresh(first.refreshToken()));

        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(refreshed(refreshTokens.refresh(OLD))).isEqualTo(first);
        assertThat(soundCloud.refreshes).containsExactly(OLD, first.refreshToken());
    }

    @Test
    void aWindowOfZeroRemembersNothing() {
        soundCloud.rotating(OLD);
        RefreshTokens noReuse = refreshTokens(new RefreshTokens.Settings(Duration.ZERO, Duration.ofSeconds(20),
                Duration.ofSeconds(60)));
        refreshed(noReuse.refresh(OLD));

        assertThat(failed(noReuse.refresh(OLD)).failure().reason()).isEqualTo(Reason.INVALID_GRANT);
    }

    @Test
    void whatIsRememberedOpensOnlyWithTheOldToken() {
        soundCloud.rotating(OLD);
        Tokens first = refreshed(refreshTokens.refresh(OLD));
        var claim = store.claim(OLD.hash(), clock.instant(), clock.instant().plusSeconds(1));

        assertThat(claim).isInstanceOf(dev.starlib.auth.application.port.RotationLedger.Claim.Remembered.class);
        var sealed = ((dev.starlib.auth.application.port.RotationLedger.Claim.Remembered) claim).answer();
        assertThat(new String(sealed.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(first.accessToken().value(), first.refreshToken().value());
        assertThat(dev.starlib.auth.domain.RotationSeal.open(first.refreshToken(), sealed)).isEmpty();
        assertThat(dev.starlib.auth.domain.RotationSeal.open(OLD, sealed)).isPresent();
    }

    // --- single flight -------------------------------------------------------------------------------

    @Test
    void concurrentRefreshesWithOneTokenMakeOneCallAndAllGetTheSamePair() throws Exception {
        soundCloud.rotating(OLD).holdRefreshes();

        List<Future<RefreshTokens.Result>> results = startCallers(() -> refreshTokens.refresh(OLD));
        awaitThat(() -> soundCloud.refreshes.size() == 1);
        awaitThat(this::allCallersWait);
        soundCloud.openGate();

        List<RefreshTokens.Result> answers = answers(results);
        assertThat(answers).hasSize(CALLERS).containsOnly(answers.getFirst());
        assertThat(answers.getFirst()).isInstanceOf(RefreshTokens.Result.Refreshed.class);
        assertThat(soundCloud.refreshes).containsExactly(OLD);
        assertThat(events.refreshesFinished).containsOnly("success", "shared")
                .filteredOn("success"::equals).hasSize(1);
    }

    @Test
    void concurrentRefreshesShareTheFailureToo() throws Exception {
        soundCloud.answerRefresh(new UpstreamResult.Rejected<>("invalid_grant", 400)).holdRefreshes();

        List<Future<RefreshTokens.Result>> results = startCallers(() -> refreshTokens.refresh(OLD));
        awaitThat(() -> soundCloud.refreshes.size() == 1);
        awaitThat(this::allCallersWait);
        soundCloud.openGate();

        assertThat(answers(results)).hasSize(CALLERS).allSatisfy(answer ->
                assertThat(failed(answer).failure().reason()).isEqualTo(Reason.INVALID_GRANT));
        assertThat(soundCloud.refreshes).hasSize(1);
    }

    @Test
    void differentTokensDoNotWaitForEachOther() {
        soundCloud.rotating(OLD, new RefreshToken("rt-of-another-user"));

        refreshed(refreshTokens.refresh(OLD));
        refreshed(refreshTokens.refresh(new RefreshToken("rt-of-another-user")));

        assertThat(soundCloud.refreshes).hasSize(2);
    }

    // --- an answer that comes too late ------------------------------------------------------------------

    @Test
    void aTimedOutRefreshSaysTheTokensFateIsUnknownAndTheRetryGetsTheLateNewPair() {
        soundCloud.rotating(OLD).holdRefreshes();
        RefreshTokens impatient = impatient();

        RefreshTokens.Result.Failed timedOut = failed(impatient.refresh(OLD));
        assertThat(timedOut.failure().reason()).isEqualTo(Reason.UPSTREAM_TIMEOUT);
        assertThat(timedOut.failure().description()).contains("Try again; if it keeps failing, sign in again");

        soundCloud.openGate(); // SoundCloud rotated after all
        Tokens late = refreshed(impatient.refresh(OLD));

        assertThat(late.refreshToken().value()).isEqualTo("rt-rotated-1");
        assertThat(soundCloud.refreshes).as("the retry waited for the late answer instead of calling").hasSize(1);
    }

    @Test
    void aRetryWhileTheLateCallIsStillUnderwayWaitsForItRatherThanCallingAgain() {
        soundCloud.rotating(OLD).holdRefreshes();
        RefreshTokens impatient = impatient();
        failed(impatient.refresh(OLD));

        assertThat(failed(impatient.refresh(OLD)).failure().reason()).isEqualTo(Reason.UPSTREAM_TIMEOUT);

        assertThat(soundCloud.refreshes).hasSize(1);
    }

    @Test
    void whenTheLateAnswerIsNoTheRetryAsksSoundCloudAfresh() {
        soundCloud.answerRefresh(new UpstreamResult.Unavailable<>("HTTP 503")).holdRefreshes();
        RefreshTokens impatient = impatient();
        failed(impatient.refresh(OLD));
        soundCloud.openGate(); // SoundCloud did not rotate
        awaitThat(() -> store.claim(OLD.hash(), clock.instant(), clock.instant()) instanceof
                dev.starlib.auth.application.port.RotationLedger.Claim.Granted);

        soundCloud.answerRefresh(new UpstreamResult.Success<>(TOKENS));
        assertThat(refreshed(impatient.refresh(OLD))).isEqualTo(TOKENS);
        assertThat(soundCloud.refreshes).hasSize(2);
    }

    // --- the breaker ---------------------------------------------------------------------------------

    @Test
    void anOpenBreakerFailsTheRefreshFastWithoutCallingSoundCloud() {
        Fixtures.openBreaker(breaker);

        RefreshTokens.Result.Failed failed = failed(refreshTokens.refresh(OLD));

        assertThat(failed.failure().reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
        assertThat(failed.failure().retryAfter()).contains(Fixtures.BREAKER.openFor());
        assertThat(soundCloud.refreshes).isEmpty();
    }

    @Test
    void anAnswerRememberedBeforeSoundCloudWentDownIsStillHandedOut() {
        soundCloud.rotating(OLD);
        Tokens first = refreshed(refreshTokens.refresh(OLD));
        Fixtures.openBreaker(breaker);

        assertThat(refreshed(refreshTokens.refresh(OLD))).isEqualTo(first);
    }

    @Test
    void anOutageOpensTheBreakerOnceAndLaterRetriesReachNobody() {
        soundCloud.answerRefresh(new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int i = 0; i < 10; i++) {
            refreshTokens.refresh(new RefreshToken("rt-client-" + i));
        }

        assertThat(soundCloud.refreshes).hasSize(Fixtures.BREAKER.failuresToOpen());
        assertThat(events.breakerOpenings).hasSize(1);
    }

    // --- the store -----------------------------------------------------------------------------------

    @Test
    void aStoreThatCannotBeReachedStopsTheRefreshBeforeSoundCloudIsAsked() {
        store.breakDown();

        assertThatThrownBy(() -> refreshTokens.refresh(OLD)).isInstanceOf(SessionStoreException.class);
        assertThat(soundCloud.refreshes).isEmpty();
    }

    @Test
    void aPairThatCannotBeRememberedIsStillHandedToTheCaller() {
        soundCloud.rotating(OLD).holdRefreshes();
        Future<RefreshTokens.Result> result = callers.submit(() -> refreshTokens.refresh(OLD));
        awaitThat(() -> soundCloud.refreshes.size() == 1);
        store.breakDown();
        soundCloud.openGate();

        assertThat(answers(List.of(result)).getFirst()).isInstanceOf(RefreshTokens.Result.Refreshed.class);
        assertThat(events.storeErrors).containsExactly("rotation");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private List<Future<RefreshTokens.Result>> startCallers(Callable<RefreshTokens.Result> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RefreshTokens.Result>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            results.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        assertThat(ready.await(10, SECONDS)).isTrue();
        go.countDown();
        return results;
    }

    /** Every caller is parked: one on its own rotation, the others on the ledger, none still on its way there. */
    private boolean allCallersWait() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().getName().startsWith("pool-"))
                .filter(entry -> Stream.of(entry.getValue()).anyMatch(frame -> frame.getClassName().equals(
                        RefreshTokens.class.getName())))
                .filter(entry -> entry.getKey().getState() == Thread.State.TIMED_WAITING)
                .count() == CALLERS;
    }

    private static List<RefreshTokens.Result> answers(List<Future<RefreshTokens.Result>> results) {
        List<RefreshTokens.Result> answers = new ArrayList<>();
        for (Future<RefreshTokens.Result> result : results) {
            try {
                answers.add(result.get(30, SECONDS));
            } catch (Exception e) {
                throw new AssertionError("a caller did not get an answer", e);
            }
        }
        return answers;
    }

    private static void awaitThat(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Tokens refreshed(RefreshTokens.Result result) {
        assertThat(result).isInstanceOf(RefreshTokens.Result.Refreshed.class);
        return ((RefreshTokens.Result.Refreshed) result).tokens();
    }

    private static RefreshTokens.Result.Failed failed(RefreshTokens.Result result) {
        assertThat(result).isInstanceOf(RefreshTokens.Result.Failed.class);
        return (RefreshTokens.Result.Failed) result;
    }
}
