package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.AlreadyUsed;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.Consumed;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.Expired;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.Unknown;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.AlreadyPickedUp;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.NotReady;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.Ready;
import dev.starlib.auth.application.port.SessionStore.SaveOutcome.Full;
import dev.starlib.auth.application.port.SessionStore.SaveOutcome.Saved;
import dev.starlib.auth.application.port.SessionStore.SessionSummary;
import dev.starlib.auth.application.port.SessionStore.SessionSummary.Stage;
import dev.starlib.auth.application.port.SessionStore.StoreCounts;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.PendingAuthorization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static dev.starlib.auth.store.Logins.FRONTEND_ORIGIN;
import static dev.starlib.auth.store.Logins.PENDING_TTL;
import static dev.starlib.auth.store.Logins.T0;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SessionStore} must do, whatever keeps the sessions. An adapter's test extends this
 * class and says how to build the store; a durable adapter also overrides {@link #reopen} so that every
 * step below is checked to survive a restart. Time is never read from a clock: each call is given its
 * {@code now}, so expiry is tested to the millisecond.
 */
abstract class SessionStoreContract {

    static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final int ROOMY = 1_000;
    private static final int RACERS = 16;
    private static final int ROUNDS = 300;
    private static final Duration MILLI = Duration.ofMillis(1);

    private SessionStore store;
    private ExecutorService racers;

    /** A new, empty store holding at most {@code capacity} sessions; consumed markers last {@code resultTtl}. */
    protected abstract SessionStore newStore(int capacity, Duration resultTtl);

    /** The same sessions as a fresh process would see them; in-memory stores have nothing to reload. */
    protected SessionStore reopen(SessionStore current) {
        return current;
    }

    @BeforeEach
    void openRoomyStore() {
        store = newStore(ROOMY, RESULT_TTL);
    }

    @AfterEach
    void stopRacers() {
        if (racers != null) {
            racers.shutdownNow();
        }
    }

    // --- starting and consuming a login ---------------------------------------------------------------

    @Test
    void savedLoginIsConsumedWithItsVerifierAndReturnTo() {
        PendingAuthorization pending = Logins.pending(T0);
        assertThat(store.savePending(pending)).isEqualTo(new Saved());
        store = reopen(store);

        assertThat(store.consumePending(pending.key(), T0.plusSeconds(30))).isEqualTo(new Consumed(pending));
    }

    @Test
    void secondConsumeOfTheSameStateIsAlreadyUsed() {
        PendingAuthorization pending = saved(T0);
        store.consumePending(pending.key(), T0.plusSeconds(1));
        store = reopen(store);

        assertThat(store.consumePending(pending.key(), T0.plusSeconds(2))).isEqualTo(new AlreadyUsed());
    }

    @Test
    void stateThatWasNeverSavedIsUnknown() {
        saved(T0);

        assertThat(store.consumePending(Logins.pending(T0).key(), T0)).isEqualTo(new Unknown());
    }

    @Test
    void loginConsumedAMomentBeforeItsExpiryIsConsumed() {
        PendingAuthorization pending = saved(T0);

        assertThat(store.consumePending(pending.key(), pending.expiresAt().minus(MILLI)))
                .isEqualTo(new Consumed(pending));
    }

    @Test
    void loginConsumedAtItsExpiryIsExpiredAndThenGone() {
        PendingAuthorization pending = saved(T0);

        assertThat(store.consumePending(pending.key(), pending.expiresAt())).isEqualTo(new Expired());
        assertThat(store.consumePending(pending.key(), pending.expiresAt())).isEqualTo(new Unknown());
    }

    @Test
    void replayedStateIsAlreadyUsedUntilTheResultTtlHasPassedSinceTheConsume() {
        PendingAuthorization pending = saved(T0);
        Instant consumedAt = T0.plus(Duration.ofMinutes(1));
        store.consumePending(pending.key(), consumedAt);

        assertThat(store.consumePending(pending.key(), consumedAt.plus(RESULT_TTL).minus(MILLI)))
                .isEqualTo(new AlreadyUsed());
        assertThat(store.consumePending(pending.key(), consumedAt.plus(RESULT_TTL))).isEqualTo(new Unknown());
    }

    @Test
    void stateStaysAlreadyUsedOnceFinishedAndOncePickedUp() {
        PendingAuthorization pending = saved(T0);
        FinishedLogin finished = finish(pending, T0.plusSeconds(5));

        assertThat(store.consumePending(pending.key(), T0.plusSeconds(6))).isEqualTo(new AlreadyUsed());
        store.pickUp(pending.key(), T0.plusSeconds(7));
        store = reopen(store);
        assertThat(store.consumePending(pending.key(), finished.expiresAt().minus(MILLI))).isEqualTo(new AlreadyUsed());
    }

    @Test
    void savingTheSameStateTwiceIsABugThatNeitherReplacesTheLoginNorTakesAPlace() {
        store = newStore(2, RESULT_TTL);
        PendingAuthorization pending = saved(T0);
        PendingAuthorization sameState = new PendingAuthorization(pending.key(), pending.stateHint(),
                Logins.pending(T0).verifier(), pending.returnTo(), T0.plusSeconds(1), T0.plus(PENDING_TTL));

        assertThatThrownBy(() -> store.savePending(sameState)).isInstanceOf(IllegalStateException.class);
        assertThat(store.savePending(Logins.pending(T0))).isEqualTo(new Saved());
        assertThat(store.savePending(Logins.pending(T0))).isEqualTo(new Full(2));
        assertThat(store.consumePending(pending.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(pending));
    }

    // --- finishing and picking up ---------------------------------------------------------------------

    @Test
    void finishedLoginIsHandedOutOnceThenAlreadyPickedUp() {
        PendingAuthorization pending = saved(T0);
        FinishedLogin finished = finish(pending, T0.plusSeconds(5));
        store = reopen(store);

        assertThat(store.pickUp(pending.key(), T0.plusSeconds(6))).isEqualTo(new Ready(finished));
        store = reopen(store);
        assertThat(store.pickUp(pending.key(), T0.plusSeconds(7))).isEqualTo(new AlreadyPickedUp());
    }

    @Test
    void failedLoginIsHandedOutLikeASuccessfulOne() {
        PendingAuthorization pending = saved(T0);
        store.consumePending(pending.key(), T0.plusSeconds(5));
        FinishedLogin failed = Logins.failed(pending, T0.plusSeconds(5), RESULT_TTL);
        store.saveFinished(failed);
        store = reopen(store);

        assertThat(store.pickUp(pending.key(), T0.plusSeconds(6))).isEqualTo(new Ready(failed));
    }

    @Test
    void loginThatSoundCloudHasNotSentBackIsNotReady() {
        PendingAuthorization pending = saved(T0);

        assertThat(store.pickUp(pending.key(), T0.plusSeconds(1))).isEqualTo(new NotReady());
        assertThat(store.consumePending(pending.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(pending));
    }

    @Test
    void loginWhoseCodeIsBeingExchangedIsNotReady() {
        PendingAuthorization pending = saved(T0);
        store.consumePending(pending.key(), T0.plusSeconds(1));

        assertThat(store.pickUp(pending.key(), T0.plusSeconds(2))).isEqualTo(new NotReady());
    }

    @Test
    void unknownStateIsNotReady() {
        assertThat(store.pickUp(Logins.pending(T0).key(), T0)).isEqualTo(new NotReady());
    }

    @Test
    void pickedUpLoginIsAlreadyPickedUpUntilItsResultExpiresThenNotReady() {
        PendingAuthorization pending = saved(T0);
        FinishedLogin finished = finish(pending, T0.plusSeconds(5));
        store.pickUp(pending.key(), T0.plusSeconds(6));

        assertThat(store.pickUp(pending.key(), finished.expiresAt().minus(MILLI))).isEqualTo(new AlreadyPickedUp());
        assertThat(store.pickUp(pending.key(), finished.expiresAt())).isEqualTo(new NotReady());
        assertThat(store.consumePending(pending.key(), finished.expiresAt())).isEqualTo(new Unknown());
    }

    @Test
    void resultThatWaitedUntilItsExpiryIsNotReadyAndGone() {
        PendingAuthorization pending = saved(T0);
        FinishedLogin finished = finish(pending, T0.plusSeconds(5));

        assertThat(store.pickUp(pending.key(), finished.expiresAt())).isEqualTo(new NotReady());
        assertThat(store.pickUp(pending.key(), finished.expiresAt().plusSeconds(1))).isEqualTo(new NotReady());
        assertThat(store.consumePending(pending.key(), finished.expiresAt())).isEqualTo(new Unknown());
        assertThat(store.summaries(finished.expiresAt().minusSeconds(1))).isEmpty();
    }

    @Test
    void resultOfAnExchangeThatOutlivedItsConsumedMarkerIsStillHandedOut() {
        PendingAuthorization pending = saved(T0);
        store.consumePending(pending.key(), T0);
        Instant late = T0.plus(RESULT_TTL).plusSeconds(5);
        assertThat(store.consumePending(pending.key(), late)).isEqualTo(new Unknown());

        FinishedLogin finished = Logins.succeeded(pending, late, RESULT_TTL);
        store.saveFinished(finished);

        assertThat(store.pickUp(pending.key(), late.plusSeconds(1))).isEqualTo(new Ready(finished));
    }

    @Test
    void finishedLoginCannotReplaceOneThatWasNeverConsumed() {
        PendingAuthorization pending = saved(T0);

        assertThatThrownBy(() -> store.saveFinished(Logins.succeeded(pending, T0.plusSeconds(1), RESULT_TTL)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.consumePending(pending.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(pending));
    }

    @Test
    void secondResultForTheSameLoginCannotReplaceTheFirstNorAllowASecondPickUp() {
        PendingAuthorization pending = saved(T0);
        FinishedLogin first = finish(pending, T0.plusSeconds(5));
        FinishedLogin second = Logins.failed(pending, T0.plusSeconds(6), RESULT_TTL);

        assertThatThrownBy(() -> store.saveFinished(second)).isInstanceOf(IllegalStateException.class);
        assertThat(store.pickUp(pending.key(), T0.plusSeconds(7))).isEqualTo(new Ready(first));
        assertThatThrownBy(() -> store.saveFinished(second)).isInstanceOf(IllegalStateException.class);
        assertThat(store.pickUp(pending.key(), T0.plusSeconds(8))).isEqualTo(new AlreadyPickedUp());
    }

    // --- capacity -------------------------------------------------------------------------------------

    @Test
    void fullStoreRefusesANewLoginAndKeepsEveryExistingOne() {
        store = newStore(3, RESULT_TTL);
        List<PendingAuthorization> existing = List.of(saved(T0), saved(T0), saved(T0));
        PendingAuthorization refused = Logins.pending(T0.plusSeconds(1));

        assertThat(store.savePending(refused)).isEqualTo(new Full(3));
        store = reopen(store);
        for (PendingAuthorization pending : existing) {
            assertThat(store.consumePending(pending.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(pending));
        }
        assertThat(store.consumePending(refused.key(), T0.plusSeconds(2))).isEqualTo(new Unknown());
    }

    @Test
    void expiredLoginsAreDroppedToMakeRoomButLiveOnesAreKept() {
        store = newStore(2, RESULT_TTL);
        PendingAuthorization stale = saved(T0);
        PendingAuthorization live = saved(T0.plus(Duration.ofMinutes(5)));
        Instant later = stale.expiresAt();

        PendingAuthorization newcomer = Logins.pending(later);
        assertThat(store.savePending(newcomer)).isEqualTo(new Saved());
        assertThat(store.savePending(Logins.pending(later))).isEqualTo(new Full(2));

        assertThat(store.consumePending(stale.key(), later)).isEqualTo(new Unknown());
        assertThat(store.consumePending(live.key(), later)).isEqualTo(new Consumed(live));
        assertThat(store.consumePending(newcomer.key(), later)).isEqualTo(new Consumed(newcomer));
    }

    @Test
    void sessionsInEveryStageTakeAPlaceUntilTheyExpire() {
        store = newStore(4, RESULT_TTL);
        PendingAuthorization waiting = saved(T0);
        store.consumePending(saved(T0).key(), T0);
        finish(saved(T0), T0);
        PendingAuthorization pickedUp = saved(T0);
        finish(pickedUp, T0);
        store.pickUp(pickedUp.key(), T0);

        assertThat(store.savePending(Logins.pending(T0.plusSeconds(1)))).isEqualTo(new Full(4));

        Instant markersGone = T0.plus(RESULT_TTL);
        assertThat(store.savePending(Logins.pending(markersGone))).isEqualTo(new Saved());
        assertThat(store.savePending(Logins.pending(markersGone))).isEqualTo(new Saved());
        assertThat(store.savePending(Logins.pending(markersGone))).isEqualTo(new Saved());
        assertThat(store.savePending(Logins.pending(markersGone))).isEqualTo(new Full(4));
        assertThat(store.consumePending(waiting.key(), markersGone)).isEqualTo(new Consumed(waiting));
    }

    @Test
    void concurrentSavesNeverExceedTheCapacity() throws Exception {
        for (int round = 0; round < ROUNDS / 10; round++) {
            store = newStore(5, RESULT_TTL);

            List<Object> outcomes = race(() -> store.savePending(Logins.pending(T0)));

            assertThat(countByType(outcomes)).isEqualTo(Map.of(Saved.class, 5L, Full.class, (long) RACERS - 5));
            assertThat(store.summaries(T0)).hasSize(5);
        }
    }

    @Test
    void concurrentSavesIntoAStoreOfExpiredLoginsNeverExceedTheCapacity() throws Exception {
        for (int round = 0; round < ROUNDS / 10; round++) {
            store = newStore(5, RESULT_TTL);
            for (int i = 0; i < 5; i++) {
                saved(T0);
            }
            Instant later = T0.plus(PENDING_TTL);

            List<Object> outcomes = race(() -> store.savePending(Logins.pending(later)));

            assertThat(countByType(outcomes)).isEqualTo(Map.of(Saved.class, 5L, Full.class, (long) RACERS - 5));
            assertThat(store.summaries(later)).hasSize(5);
        }
    }

    // --- operator actions -----------------------------------------------------------------------------

    @Test
    void cancelledLoginCanNoLongerBeConsumedAndFreesItsPlace() {
        store = newStore(1, RESULT_TTL);
        PendingAuthorization pending = saved(T0);

        assertThat(store.cancelPending(pending.key())).isTrue();
        store = reopen(store);
        assertThat(store.consumePending(pending.key(), T0.plusSeconds(1))).isEqualTo(new Unknown());
        assertThat(store.cancelPending(pending.key())).isFalse();
        assertThat(store.savePending(Logins.pending(T0.plusSeconds(2)))).isEqualTo(new Saved());
    }

    @Test
    void cancelLeavesLoginsThatAreUnderwayOrUnknownAlone() {
        PendingAuthorization exchanging = saved(T0);
        store.consumePending(exchanging.key(), T0);
        PendingAuthorization done = saved(T0);
        FinishedLogin finished = finish(done, T0);

        assertThat(store.cancelPending(exchanging.key())).isFalse();
        assertThat(store.cancelPending(done.key())).isFalse();
        assertThat(store.cancelPending(Logins.pending(T0).key())).isFalse();

        assertThat(store.consumePending(exchanging.key(), T0.plusSeconds(1))).isEqualTo(new AlreadyUsed());
        assertThat(store.pickUp(done.key(), T0.plusSeconds(1))).isEqualTo(new Ready(finished));
    }

    @Test
    void purgeRemovesExactlyTheExpiredSessionsAndCountsThem() {
        PendingAuthorization stalePending = saved(T0);
        PendingAuthorization livePending = saved(T0.plus(Duration.ofMinutes(9)));
        PendingAuthorization staleMarker = saved(T0);
        store.consumePending(staleMarker.key(), T0);
        PendingAuthorization staleResult = saved(T0);
        finish(staleResult, T0);
        PendingAuthorization livePickedUp = saved(T0.plus(Duration.ofMinutes(9)));
        finish(livePickedUp, T0.plus(Duration.ofMinutes(9)));
        store.pickUp(livePickedUp.key(), T0.plus(Duration.ofMinutes(9)));
        Instant now = stalePending.expiresAt();

        assertThat(store.purgeExpired(now)).isEqualTo(3);
        assertThat(store.purgeExpired(now)).isZero();

        store = reopen(store);
        assertThat(store.consumePending(stalePending.key(), now)).isEqualTo(new Unknown());
        assertThat(store.consumePending(livePending.key(), now)).isEqualTo(new Consumed(livePending));
        assertThat(store.pickUp(livePickedUp.key(), now)).isEqualTo(new AlreadyPickedUp());
    }

    // --- what operators see ---------------------------------------------------------------------------

    @Test
    void summariesShowEveryLiveSessionWithItsStageOldestFirst() {
        PendingAuthorization waiting = saved(T0.plusSeconds(30));
        PendingAuthorization pickedUp = saved(T0);
        store.consumePending(pickedUp.key(), T0.plusSeconds(1));
        FinishedLogin pickedUpResult = Logins.succeeded(pickedUp, T0.plusSeconds(2), RESULT_TTL);
        store.saveFinished(pickedUpResult);
        store.pickUp(pickedUp.key(), T0.plusSeconds(3));
        PendingAuthorization finished = saved(T0.plusSeconds(10));
        FinishedLogin finishedResult = finish(finished, T0.plusSeconds(12));
        PendingAuthorization exchanging = saved(T0.plusSeconds(20));
        store.consumePending(exchanging.key(), T0.plusSeconds(21));
        store = reopen(store);

        assertThat(store.summaries(T0.plusSeconds(40))).containsExactly(
                new SessionSummary(pickedUp.key(), pickedUp.stateHint(), Stage.PICKED_UP, FRONTEND_ORIGIN,
                        pickedUpResult.finishedAt(), pickedUpResult.expiresAt()),
                new SessionSummary(finished.key(), finished.stateHint(), Stage.FINISHED, FRONTEND_ORIGIN,
                        finishedResult.finishedAt(), finishedResult.expiresAt()),
                new SessionSummary(exchanging.key(), exchanging.stateHint(), Stage.EXCHANGING, FRONTEND_ORIGIN,
                        exchanging.createdAt(), T0.plusSeconds(21).plus(RESULT_TTL)),
                new SessionSummary(waiting.key(), waiting.stateHint(), Stage.PENDING, FRONTEND_ORIGIN,
                        waiting.createdAt(), waiting.expiresAt()));
    }

    @Test
    void summariesLeaveOutSessionsThatHaveExpiredEvenBeforeAPurge() {
        PendingAuthorization stale = saved(T0);
        PendingAuthorization live = saved(T0.plusSeconds(1));

        assertThat(store.summaries(stale.expiresAt())).extracting(SessionSummary::key).containsExactly(live.key());
        assertThat(store.summaries(live.expiresAt())).isEmpty();
    }

    @Test
    void resultSavedWithoutItsPendingLoginHasNoKnownOrigin() {
        PendingAuthorization pending = Logins.pending(T0);
        FinishedLogin finished = Logins.succeeded(pending, T0, RESULT_TTL);
        store.saveFinished(finished);

        assertThat(store.summaries(T0)).containsExactly(new SessionSummary(pending.key(), pending.stateHint(),
                Stage.FINISHED, "", finished.finishedAt(), finished.expiresAt()));
    }

    @Test
    void summariesAndTheStoreItselfNeverRevealAStateVerifierOrToken() {
        Logins.Started waiting = Logins.start(T0);
        store.savePending(waiting.pending());
        Logins.Started done = Logins.start(T0);
        store.savePending(done.pending());
        FinishedLogin result = finish(done.pending(), T0.plusSeconds(1));
        var succeeded = (LoginOutcome.Succeeded) result.outcome();

        List<SessionSummary> summaries = store.summaries(T0.plusSeconds(2));

        assertThat(summaries).extracting(SessionSummary::stateHint)
                .containsExactlyInAnyOrder(waiting.state().hint(), done.state().hint());
        for (String shown : List.of(summaries.toString(), store.toString())) {
            assertThat(shown).doesNotContain(waiting.state().value(), done.state().value(),
                    waiting.pending().verifier().value(), done.pending().verifier().value(),
                    succeeded.tokens().accessToken().value(), succeeded.tokens().refreshToken().value());
        }
    }

    @Test
    void countsAgreeWithTheSummariesStageByStage() {
        saved(T0);
        saved(T0.plusSeconds(1));
        PendingAuthorization exchanging = saved(T0.plusSeconds(2));
        store.consumePending(exchanging.key(), T0.plusSeconds(3));
        finish(saved(T0.plusSeconds(4)), T0.plusSeconds(5));
        PendingAuthorization pickedUp = saved(T0.plusSeconds(6));
        finish(pickedUp, T0.plusSeconds(7));
        store.pickUp(pickedUp.key(), T0.plusSeconds(8));
        store = reopen(store);

        assertThat(store.counts(T0.plusSeconds(9))).isEqualTo(new StoreCounts(2, 1, 1, 1));
        assertThat(store.counts(T0.plusSeconds(9)).total()).isEqualTo(store.summaries(T0.plusSeconds(9)).size());
    }

    @Test
    void countsLeaveOutSessionsThatHaveExpiredEvenBeforeAPurge() {
        PendingAuthorization stale = saved(T0);
        saved(T0.plusSeconds(1));

        assertThat(store.counts(stale.expiresAt())).isEqualTo(new StoreCounts(1, 0, 0, 0));
        assertThat(store.counts(T0.plus(PENDING_TTL).plusSeconds(1))).isEqualTo(new StoreCounts(0, 0, 0, 0));
    }

    @Test
    void workingStorePassesTheWriteProbeAndTheProbeChangesNothing() {
        PendingAuthorization pending = saved(T0);

        store.probeWritable();

        assertThat(store.counts(T0)).isEqualTo(new StoreCounts(1, 0, 0, 0));
        assertThat(store.consumePending(pending.key(), T0.plusSeconds(1))).isEqualTo(new Consumed(pending));
    }

    @Test
    void storeDescriptionDoesNotListItsSessions() {
        PendingAuthorization pending = saved(T0);

        assertThat(store.toString()).doesNotContain(pending.key().hex(), pending.stateHint());
    }

    // --- races ----------------------------------------------------------------------------------------

    @Test
    void ofConcurrentConsumesOfOneStateExactlyOneWins() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            PendingAuthorization pending = saved(T0);

            List<Object> outcomes = race(() -> store.consumePending(pending.key(), T0.plusSeconds(1)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(Consumed.class, 1L, AlreadyUsed.class, (long) RACERS - 1));
            assertThat(outcomes).contains(new Consumed(pending));
        }
    }

    @Test
    void ofConcurrentPickUpsOfOneResultExactlyOneGetsIt() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            PendingAuthorization pending = saved(T0);
            FinishedLogin finished = finish(pending, T0.plusSeconds(1));

            List<Object> outcomes = race(() -> store.pickUp(pending.key(), T0.plusSeconds(2)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(Ready.class, 1L, AlreadyPickedUp.class, (long) RACERS - 1));
            assertThat(outcomes).contains(new Ready(finished));
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private PendingAuthorization saved(Instant createdAt) {
        PendingAuthorization pending = Logins.pending(createdAt);
        assertThat(store.savePending(pending)).isEqualTo(new Saved());
        return pending;
    }

    /** Consumes the login and records a successful result, both at {@code at}, as the redirect flow does. */
    private FinishedLogin finish(PendingAuthorization pending, Instant at) {
        assertThat(store.consumePending(pending.key(), at)).isEqualTo(new Consumed(pending));
        FinishedLogin finished = Logins.succeeded(pending, at, RESULT_TTL);
        store.saveFinished(finished);
        return finished;
    }

    /** Runs {@link #RACERS} attempts that all wait at one start gate, so they really contend. */
    private List<Object> race(Callable<?> attempt) throws Exception {
        if (racers == null) {
            racers = Executors.newFixedThreadPool(RACERS);
        }
        CountDownLatch ready = new CountDownLatch(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            futures.add(racers.submit(() -> {
                ready.countDown();
                go.await();
                return attempt.call();
            }));
        }
        assertThat(ready.await(10, SECONDS)).as("all racers at the start gate").isTrue();
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<?> future : futures) {
            outcomes.add(future.get(10, SECONDS));
        }
        return outcomes;
    }

    private static Map<Class<?>, Long> countByType(List<Object> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
    }
}
