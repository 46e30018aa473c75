package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStore.Creation;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Consumption;
import dev.starlib.auth.domain.OAuthSession.PickUp;
import dev.starlib.auth.domain.OAuthSession.Stage;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.domain.Step;
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
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SessionStore} must do, whatever keeps the sessions. An adapter's test extends this
 * class and says how to build the store; a durable adapter also overrides {@link #reopen} so that every
 * step below is checked to survive a restart. Time is never read from a clock: each call is given its
 * {@code now}, so expiry is tested to the millisecond. Every instant is an offset from {@link #clockBase()}:
 * a fixed day in 2025 unless a store needs times near its own clock (Redis expires keys by its clock).
 */
public abstract class SessionStoreContract<S extends SessionStore & SessionInventory> {

    static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final int ROOMY = 1_000;
    private static final int RACERS = 16;
    private static final int ROUNDS = 300;
    private static final Duration MILLI = Duration.ofMillis(1);

    private S store;
    private ExecutorService racers;
    /** The instant every test's times are offsets of, from {@link #clockBase()}. */
    private Instant t0;

    /** A new, empty store holding at most {@code capacity} sessions. */
    protected abstract S newStore(int capacity);

    /** The same sessions as a fresh process would see them; in-memory stores have nothing to reload. */
    protected S reopen(S current) {
        return current;
    }

    /** Asks the store to forget every session whose time is up at {@code now}; how many went. */
    protected abstract int purgeExpired(S store, Instant now);

    /**
     * The instant the tests start their logins at. The times a test then passes go up to about 25 minutes past
     * it, and never come from a clock, so they mean the same to every store.
     */
    protected Instant clockBase() {
        return Logins.T0;
    }

    @BeforeEach
    void openRoomyStore() {
        t0 = clockBase();
        store = newStore(ROOMY);
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
        PendingAuthorization pending = Logins.pending(t0);
        assertThat(create(pending)).isEqualTo(new Creation.Created());
        store = reopen(store);

        assertThat(consume(pending.key(), t0.plusSeconds(30))).isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void secondConsumeOfTheSameStateIsAlreadyUsed() {
        PendingAuthorization pending = saved(t0);
        consume(pending.key(), t0.plusSeconds(1));
        store = reopen(store);

        assertThat(consume(pending.key(), t0.plusSeconds(2))).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
    }

    @Test
    void stateThatWasNeverSavedIsUnknown() {
        saved(t0);

        assertThat(consume(Logins.pending(t0).key(), t0)).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void loginConsumedAMomentBeforeItsExpiryIsConsumed() {
        PendingAuthorization pending = saved(t0);

        assertThat(consume(pending.key(), pending.expiresAt().minus(MILLI)))
                .isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void loginConsumedAtItsExpiryIsExpiredAndThenGone() {
        PendingAuthorization pending = saved(t0);

        assertThat(consume(pending.key(), pending.expiresAt())).isEqualTo(Consumption.rejected(StateRejection.EXPIRED));
        assertThat(consume(pending.key(), pending.expiresAt())).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void replayedStateIsAlreadyUsedUntilTheResultTtlHasPassedSinceTheConsume() {
        PendingAuthorization pending = saved(t0);
        Instant consumedAt = t0.plus(Duration.ofMinutes(1));
        consume(pending.key(), consumedAt);

        assertThat(consume(pending.key(), consumedAt.plus(RESULT_TTL).minus(MILLI)))
                .isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
        assertThat(consume(pending.key(), consumedAt.plus(RESULT_TTL))).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void stateStaysAlreadyUsedOnceFinishedAndOncePickedUp() {
        PendingAuthorization pending = saved(t0);
        FinishedLogin finished = finish(pending, t0.plusSeconds(5));

        assertThat(consume(pending.key(), t0.plusSeconds(6))).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
        pickUp(pending.key(), t0.plusSeconds(7));
        store = reopen(store);
        assertThat(consume(pending.key(), finished.expiresAt().minus(MILLI))).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
    }

    @Test
    void savingTheSameStateTwiceIsABugThatNeitherReplacesTheLoginNorTakesAPlace() {
        store = newStore(2);
        PendingAuthorization pending = saved(t0);
        PendingAuthorization sameState = new PendingAuthorization(pending.key(), pending.stateHint(),
                Logins.pending(t0).verifier(), pending.returnTo(), t0.plusSeconds(1), t0.plus(PENDING_TTL));

        assertThatThrownBy(() -> create(sameState)).isInstanceOf(IllegalStateException.class);
        assertThat(create(Logins.pending(t0))).isEqualTo(new Creation.Created());
        assertThat(create(Logins.pending(t0))).isEqualTo(new Creation.Full(2));
        assertThat(consume(pending.key(), t0.plusSeconds(2))).isEqualTo(new Consumption.Consumed(pending));
    }

    // --- finishing and picking up ---------------------------------------------------------------------

    @Test
    void finishedLoginIsHandedOutOnceThenAlreadyPickedUp() {
        PendingAuthorization pending = saved(t0);
        FinishedLogin finished = finish(pending, t0.plusSeconds(5));
        store = reopen(store);

        assertThat(pickUp(pending.key(), t0.plusSeconds(6))).isEqualTo(new PickUp.Ready(finished));
        store = reopen(store);
        assertThat(pickUp(pending.key(), t0.plusSeconds(7))).isEqualTo(new PickUp.AlreadyPickedUp());
    }

    @Test
    void failedLoginIsHandedOutLikeASuccessfulOne() {
        PendingAuthorization pending = saved(t0);
        consume(pending.key(), t0.plusSeconds(5));
        FinishedLogin failed = Logins.failed(pending, t0.plusSeconds(5), RESULT_TTL);
        finishWith(failed);
        store = reopen(store);

        assertThat(pickUp(pending.key(), t0.plusSeconds(6))).isEqualTo(new PickUp.Ready(failed));
    }

    @Test
    void failedLoginKeepsItsWaitBeforeARetry() {
        PendingAuthorization pending = saved(t0);
        consume(pending.key(), t0.plusSeconds(5));
        FinishedLogin failed = Logins.failedWithWait(pending, t0.plusSeconds(5), RESULT_TTL);
        finishWith(failed);
        store = reopen(store);

        assertThat(pickUp(pending.key(), t0.plusSeconds(6))).isEqualTo(new PickUp.Ready(failed));
    }

    @Test
    void loginThatSoundCloudHasNotSentBackIsNotReady() {
        PendingAuthorization pending = saved(t0);

        assertThat(pickUp(pending.key(), t0.plusSeconds(1))).isEqualTo(new PickUp.NotReady());
        assertThat(consume(pending.key(), t0.plusSeconds(2))).isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void loginWhoseCodeIsBeingExchangedIsNotReady() {
        PendingAuthorization pending = saved(t0);
        consume(pending.key(), t0.plusSeconds(1));

        assertThat(pickUp(pending.key(), t0.plusSeconds(2))).isEqualTo(new PickUp.NotReady());
    }

    @Test
    void unknownStateIsNotReady() {
        assertThat(pickUp(Logins.pending(t0).key(), t0)).isEqualTo(new PickUp.NotReady());
    }

    @Test
    void pickedUpLoginIsAlreadyPickedUpUntilItsResultExpiresThenNotReady() {
        PendingAuthorization pending = saved(t0);
        FinishedLogin finished = finish(pending, t0.plusSeconds(5));
        pickUp(pending.key(), t0.plusSeconds(6));

        assertThat(pickUp(pending.key(), finished.expiresAt().minus(MILLI))).isEqualTo(new PickUp.AlreadyPickedUp());
        assertThat(pickUp(pending.key(), finished.expiresAt())).isEqualTo(new PickUp.NotReady());
        assertThat(consume(pending.key(), finished.expiresAt())).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void resultThatWaitedUntilItsExpiryIsNotReadyAndGone() {
        PendingAuthorization pending = saved(t0);
        FinishedLogin finished = finish(pending, t0.plusSeconds(5));

        assertThat(pickUp(pending.key(), finished.expiresAt())).isEqualTo(new PickUp.NotReady());
        assertThat(pickUp(pending.key(), finished.expiresAt().plusSeconds(1))).isEqualTo(new PickUp.NotReady());
        assertThat(consume(pending.key(), finished.expiresAt())).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
        assertThat(summaries(finished.expiresAt().minusSeconds(1))).isEmpty();
    }

    @Test
    void resultOfAnExchangeThatOutlivedItsConsumedMarkerIsStillHandedOut() {
        PendingAuthorization pending = saved(t0);
        consume(pending.key(), t0);
        Instant late = t0.plus(RESULT_TTL).plusSeconds(5);
        assertThat(consume(pending.key(), late)).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));

        FinishedLogin finished = Logins.succeeded(pending, late, RESULT_TTL);
        finishWith(finished);

        assertThat(pickUp(pending.key(), late.plusSeconds(1))).isEqualTo(new PickUp.Ready(finished));
    }

    @Test
    void finishedLoginCannotReplaceOneThatWasNeverConsumed() {
        PendingAuthorization pending = saved(t0);

        assertThatThrownBy(() -> finishWith(Logins.succeeded(pending, t0.plusSeconds(1), RESULT_TTL)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(consume(pending.key(), t0.plusSeconds(2))).isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void secondResultForTheSameLoginCannotReplaceTheFirstNorAllowASecondPickUp() {
        PendingAuthorization pending = saved(t0);
        FinishedLogin first = finish(pending, t0.plusSeconds(5));
        FinishedLogin second = Logins.failed(pending, t0.plusSeconds(6), RESULT_TTL);

        assertThatThrownBy(() -> finishWith(second)).isInstanceOf(IllegalStateException.class);
        assertThat(pickUp(pending.key(), t0.plusSeconds(7))).isEqualTo(new PickUp.Ready(first));
        assertThatThrownBy(() -> finishWith(second)).isInstanceOf(IllegalStateException.class);
        assertThat(pickUp(pending.key(), t0.plusSeconds(8))).isEqualTo(new PickUp.AlreadyPickedUp());
    }

    // --- capacity -------------------------------------------------------------------------------------

    @Test
    void fullStoreRefusesANewLoginAndKeepsEveryExistingOne() {
        store = newStore(3);
        List<PendingAuthorization> existing = List.of(saved(t0), saved(t0), saved(t0));
        PendingAuthorization refused = Logins.pending(t0.plusSeconds(1));

        assertThat(create(refused)).isEqualTo(new Creation.Full(3));
        store = reopen(store);
        for (PendingAuthorization pending : existing) {
            assertThat(consume(pending.key(), t0.plusSeconds(2))).isEqualTo(new Consumption.Consumed(pending));
        }
        assertThat(consume(refused.key(), t0.plusSeconds(2))).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void expiredLoginsAreDroppedToMakeRoomButLiveOnesAreKept() {
        store = newStore(2);
        PendingAuthorization stale = saved(t0);
        PendingAuthorization live = saved(t0.plus(Duration.ofMinutes(5)));
        Instant later = stale.expiresAt();

        PendingAuthorization newcomer = Logins.pending(later);
        assertThat(create(newcomer)).isEqualTo(new Creation.Created());
        assertThat(create(Logins.pending(later))).isEqualTo(new Creation.Full(2));

        assertThat(consume(stale.key(), later)).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
        assertThat(consume(live.key(), later)).isEqualTo(new Consumption.Consumed(live));
        assertThat(consume(newcomer.key(), later)).isEqualTo(new Consumption.Consumed(newcomer));
    }

    @Test
    void sessionsInEveryStageTakeAPlaceUntilTheyExpire() {
        store = newStore(4);
        PendingAuthorization waiting = saved(t0);
        consume(saved(t0).key(), t0);
        finish(saved(t0), t0);
        PendingAuthorization pickedUp = saved(t0);
        finish(pickedUp, t0);
        pickUp(pickedUp.key(), t0);

        assertThat(create(Logins.pending(t0.plusSeconds(1)))).isEqualTo(new Creation.Full(4));

        Instant markersGone = t0.plus(RESULT_TTL);
        assertThat(create(Logins.pending(markersGone))).isEqualTo(new Creation.Created());
        assertThat(create(Logins.pending(markersGone))).isEqualTo(new Creation.Created());
        assertThat(create(Logins.pending(markersGone))).isEqualTo(new Creation.Created());
        assertThat(create(Logins.pending(markersGone))).isEqualTo(new Creation.Full(4));
        assertThat(consume(waiting.key(), markersGone)).isEqualTo(new Consumption.Consumed(waiting));
    }

    @Test
    void concurrentSavesNeverExceedTheCapacity() throws Exception {
        for (int round = 0; round < ROUNDS / 10; round++) {
            store = newStore(5);

            List<Object> outcomes = race(() -> create(Logins.pending(t0)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(Creation.Created.class, 5L, Creation.Full.class, (long) RACERS - 5));
            assertThat(summaries(t0)).hasSize(5);
        }
    }

    @Test
    void concurrentSavesIntoAStoreOfExpiredLoginsNeverExceedTheCapacity() throws Exception {
        for (int round = 0; round < ROUNDS / 10; round++) {
            store = newStore(5);
            for (int i = 0; i < 5; i++) {
                saved(t0);
            }
            Instant later = t0.plus(PENDING_TTL);

            List<Object> outcomes = race(() -> create(Logins.pending(later)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(Creation.Created.class, 5L, Creation.Full.class, (long) RACERS - 5));
            assertThat(summaries(later)).hasSize(5);
        }
    }

    // --- operator actions -----------------------------------------------------------------------------

    @Test
    void cancelledLoginCanNoLongerBeConsumedAndFreesItsPlace() {
        store = newStore(1);
        PendingAuthorization pending = saved(t0);

        assertThat(cancel(pending.key())).isTrue();
        store = reopen(store);
        assertThat(consume(pending.key(), t0.plusSeconds(1))).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
        assertThat(cancel(pending.key())).isFalse();
        assertThat(create(Logins.pending(t0.plusSeconds(2)))).isEqualTo(new Creation.Created());
    }

    @Test
    void cancelLeavesLoginsThatAreUnderwayOrUnknownAlone() {
        PendingAuthorization exchanging = saved(t0);
        consume(exchanging.key(), t0);
        PendingAuthorization done = saved(t0);
        FinishedLogin finished = finish(done, t0);

        assertThat(cancel(exchanging.key())).isFalse();
        assertThat(cancel(done.key())).isFalse();
        assertThat(cancel(Logins.pending(t0).key())).isFalse();

        assertThat(consume(exchanging.key(), t0.plusSeconds(1))).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
        assertThat(pickUp(done.key(), t0.plusSeconds(1))).isEqualTo(new PickUp.Ready(finished));
    }

    @Test
    void purgeRemovesExactlyTheExpiredSessionsAndCountsThem() {
        PendingAuthorization stalePending = saved(t0);
        PendingAuthorization livePending = saved(t0.plus(Duration.ofMinutes(9)));
        PendingAuthorization staleMarker = saved(t0);
        consume(staleMarker.key(), t0);
        PendingAuthorization staleResult = saved(t0);
        finish(staleResult, t0);
        PendingAuthorization livePickedUp = saved(t0.plus(Duration.ofMinutes(9)));
        finish(livePickedUp, t0.plus(Duration.ofMinutes(9)));
        pickUp(livePickedUp.key(), t0.plus(Duration.ofMinutes(9)));
        Instant now = stalePending.expiresAt();

        assertThat(purgeExpired(store, now)).isEqualTo(3);
        assertThat(purgeExpired(store, now)).isZero();

        store = reopen(store);
        assertThat(consume(stalePending.key(), now)).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
        assertThat(consume(livePending.key(), now)).isEqualTo(new Consumption.Consumed(livePending));
        assertThat(pickUp(livePickedUp.key(), now)).isEqualTo(new PickUp.AlreadyPickedUp());
    }

    // --- the per-client quota (PENDING_PER_CLIENT) ----------------------------------------------------

    @Test
    void clientAtItsQuotaIsRefusedUntilItsOldestLoginExpiresWhileOtherClientsAreNot() {
        ClientKey flood = Logins.client("203.0.113.7");
        PendingAuthorization oldest = savedBy(flood, t0, 3);
        savedBy(flood, t0.plusSeconds(1), 3);
        savedBy(flood, t0.plusSeconds(2), 3);
        store = reopen(store);

        assertThat(createBy(flood, t0.plusSeconds(3), 3)).isEqualTo(new Creation.QuotaExceeded(3, oldest.expiresAt()));
        assertThat(createBy(Logins.client("198.51.100.4"), t0.plusSeconds(3), 3)).isEqualTo(new Creation.Created());
        assertThat(createBy(flood, oldest.expiresAt().minus(MILLI), 3)).isInstanceOf(Creation.QuotaExceeded.class);
        assertThat(createBy(flood, oldest.expiresAt(), 3)).isEqualTo(new Creation.Created());
        assertThat(createBy(flood, oldest.expiresAt(), 3)).isInstanceOf(Creation.QuotaExceeded.class);
    }

    @Test
    void loginThatSoundCloudSentBackOrAnOperatorCancelledFreesItsClientsPlace() {
        ClientKey household = Logins.client("192.0.2.10");
        PendingAuthorization consumed = savedBy(household, t0, 2);
        PendingAuthorization cancelled = savedBy(household, t0, 2);
        assertThat(createBy(household, t0, 2)).isInstanceOf(Creation.QuotaExceeded.class);

        consume(consumed.key(), t0.plusSeconds(1));
        store = reopen(store);
        assertThat(createBy(household, t0.plusSeconds(1), 2)).isEqualTo(new Creation.Created());
        assertThat(createBy(household, t0.plusSeconds(1), 2)).isInstanceOf(Creation.QuotaExceeded.class);

        assertThat(cancel(cancelled.key())).isTrue();
        assertThat(createBy(household, t0.plusSeconds(2), 2)).isEqualTo(new Creation.Created());
    }

    @Test
    void refusedLoginTakesNeitherAPlaceInTheStoreNorOneOfItsClient() {
        store = newStore(3);
        ClientKey flood = Logins.client("203.0.113.7");
        ClientKey neighbour = Logins.client("198.51.100.4");
        savedBy(flood, t0, 2);
        savedBy(flood, t0, 2);
        assertThat(createBy(flood, t0, 2)).isInstanceOf(Creation.QuotaExceeded.class);
        savedBy(neighbour, t0, 2);

        // The store is full: the refusal must not cost the neighbour one of its two places.
        assertThat(createBy(neighbour, t0, 2)).isEqualTo(new Creation.Full(3));
        Instant later = t0.plus(PENDING_TTL);
        assertThat(createBy(neighbour, later, 2)).isEqualTo(new Creation.Created());
        assertThat(createBy(neighbour, later, 2)).isEqualTo(new Creation.Created());
    }

    @Test
    void loginsOfUnknownClientsCountTowardNoQuota() {
        for (int i = 0; i < 5; i++) {
            assertThat(store.create(new OAuthSession.Pending(Logins.pending(t0)), 1)).isEqualTo(new Creation.Created());
        }
    }

    @Test
    void finishedAndPickedUpLoginsCostTheirClientNothing() {
        ClientKey desktop = Logins.client("192.0.2.20");
        PendingAuthorization first = savedBy(desktop, t0, 1);
        finish(first, t0.plusSeconds(1));
        PendingAuthorization second = savedBy(desktop, t0.plusSeconds(2), 1);
        finish(second, t0.plusSeconds(3));
        pickUp(second.key(), t0.plusSeconds(4));

        assertThat(createBy(desktop, t0.plusSeconds(5), 1)).isEqualTo(new Creation.Created());
    }

    @Test
    void concurrentLoginsOfOneClientNeverExceedItsQuota() throws Exception {
        ClientKey flood = Logins.client("203.0.113.7");
        for (int round = 0; round < ROUNDS / 10; round++) {
            store = newStore(ROOMY);

            List<Object> outcomes = race(() -> createBy(flood, t0, 4));

            assertThat(outcomes.stream().filter(Creation.Created.class::isInstance).count()).isEqualTo(4);
            assertThat(outcomes.stream().filter(Creation.QuotaExceeded.class::isInstance).count()).isEqualTo(RACERS - 4);
            assertThat(store.counts(t0).pending()).isEqualTo(4);
        }
    }

    // --- what operators see ---------------------------------------------------------------------------

    @Test
    void summariesShowEveryLiveSessionWithItsStageOldestFirst() {
        PendingAuthorization waiting = saved(t0.plusSeconds(30));
        PendingAuthorization pickedUp = saved(t0);
        consume(pickedUp.key(), t0.plusSeconds(1));
        FinishedLogin pickedUpResult = Logins.succeeded(pickedUp, t0.plusSeconds(2), RESULT_TTL);
        finishWith(pickedUpResult);
        pickUp(pickedUp.key(), t0.plusSeconds(3));
        PendingAuthorization finished = saved(t0.plusSeconds(10));
        FinishedLogin finishedResult = finish(finished, t0.plusSeconds(12));
        PendingAuthorization exchanging = saved(t0.plusSeconds(20));
        consume(exchanging.key(), t0.plusSeconds(21));
        store = reopen(store);

        assertThat(summaries(t0.plusSeconds(40))).containsExactly(
                new SessionSummary(pickedUp.key(), pickedUp.stateHint(), Stage.PICKED_UP, FRONTEND_ORIGIN,
                        pickedUpResult.finishedAt(), pickedUpResult.expiresAt()),
                new SessionSummary(finished.key(), finished.stateHint(), Stage.FINISHED, FRONTEND_ORIGIN,
                        finishedResult.finishedAt(), finishedResult.expiresAt()),
                new SessionSummary(exchanging.key(), exchanging.stateHint(), Stage.EXCHANGING, FRONTEND_ORIGIN,
                        exchanging.createdAt(), t0.plusSeconds(21).plus(RESULT_TTL)),
                new SessionSummary(waiting.key(), waiting.stateHint(), Stage.PENDING, FRONTEND_ORIGIN,
                        waiting.createdAt(), waiting.expiresAt()));
    }

    @Test
    void summariesLeaveOutSessionsThatHaveExpiredEvenBeforeAPurge() {
        PendingAuthorization stale = saved(t0);
        PendingAuthorization live = saved(t0.plusSeconds(1));

        assertThat(summaries(stale.expiresAt())).extracting(SessionSummary::key).containsExactly(live.key());
        assertThat(summaries(live.expiresAt())).isEmpty();
    }

    @Test
    void resultSavedWithoutItsPendingLoginHasNoKnownOrigin() {
        PendingAuthorization pending = Logins.pending(t0);
        FinishedLogin finished = Logins.succeeded(pending, t0, RESULT_TTL);
        finishWith(finished);

        assertThat(summaries(t0)).containsExactly(new SessionSummary(pending.key(), pending.stateHint(),
                Stage.FINISHED, "", finished.finishedAt(), finished.expiresAt()));
    }

    @Test
    void summariesAndTheStoreItselfNeverRevealAStateVerifierOrToken() {
        Logins.Started waiting = Logins.start(t0);
        create(waiting.pending());
        Logins.Started done = Logins.start(t0);
        create(done.pending());
        FinishedLogin result = finish(done.pending(), t0.plusSeconds(1));
        var succeeded = (LoginOutcome.Succeeded) result.outcome();

        List<SessionSummary> summaries = summaries(t0.plusSeconds(2));

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
        saved(t0);
        saved(t0.plusSeconds(1));
        PendingAuthorization exchanging = saved(t0.plusSeconds(2));
        consume(exchanging.key(), t0.plusSeconds(3));
        finish(saved(t0.plusSeconds(4)), t0.plusSeconds(5));
        PendingAuthorization pickedUp = saved(t0.plusSeconds(6));
        finish(pickedUp, t0.plusSeconds(7));
        pickUp(pickedUp.key(), t0.plusSeconds(8));
        store = reopen(store);

        assertThat(store.counts(t0.plusSeconds(9))).isEqualTo(new SessionCounts(2, 1, 1, 1));
        assertThat(store.counts(t0.plusSeconds(9)).total()).isEqualTo(summaries(t0.plusSeconds(9)).size());
    }

    @Test
    void countsLeaveOutSessionsThatHaveExpiredEvenBeforeAPurge() {
        PendingAuthorization stale = saved(t0);
        saved(t0.plusSeconds(1));

        assertThat(store.counts(stale.expiresAt())).isEqualTo(new SessionCounts(1, 0, 0, 0));
        assertThat(store.counts(t0.plus(PENDING_TTL).plusSeconds(1))).isEqualTo(new SessionCounts(0, 0, 0, 0));
    }

    @Test
    void workingStorePassesTheWriteProbeAndTheProbeChangesNothing() {
        PendingAuthorization pending = saved(t0);

        store.probeWritable();

        assertThat(store.counts(t0)).isEqualTo(new SessionCounts(1, 0, 0, 0));
        assertThat(consume(pending.key(), t0.plusSeconds(1))).isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void storeDescriptionDoesNotListItsSessions() {
        PendingAuthorization pending = saved(t0);

        assertThat(store.toString()).doesNotContain(pending.key().hex(), pending.stateHint());
    }

    // --- the store's own mechanics, whatever the transition ------------------------------------------

    @Test
    void transitionThatThrowsLeavesTheSessionAsItWas() {
        PendingAuthorization pending = saved(t0);

        assertThatThrownBy(() -> store.update(pending.key(), current -> {
            throw new IllegalStateException("a bug in a rule");
        })).isInstanceOf(IllegalStateException.class);
        store = reopen(store);

        assertThat(consume(pending.key(), t0.plusSeconds(1))).isEqualTo(new Consumption.Consumed(pending));
    }

    @Test
    void transitionSeesWhatIsStoredAndNothingForAnUnknownKey() {
        PendingAuthorization pending = saved(t0);
        List<Object> seen = new ArrayList<>();

        String answer = store.update(pending.key(), current -> {
            seen.add(current);
            return new Step<>(current, current, "looked");
        });
        store.update(Logins.pending(t0).key(), current -> {
            seen.add(String.valueOf(current));
            return new Step<>(current, current, "looked");
        });

        assertThat(answer).isEqualTo("looked");
        assertThat(seen).containsExactly(new OAuthSession.Pending(pending), "null");
        assertThat(store.counts(t0)).isEqualTo(new SessionCounts(1, 0, 0, 0));
    }

    @Test
    void endedSessionIsNotKept() {
        PendingAuthorization pending = saved(t0);
        OAuthSession.Cancelled ended = new OAuthSession.Cancelled(pending.key(), pending.stateHint(), "", t0);

        store.update(pending.key(), current -> new Step<>(current, ended, null));
        store = reopen(store);

        assertThat(store.counts(t0)).isEqualTo(SessionCounts.NONE);
        assertThat(consume(pending.key(), t0)).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
    }

    // --- races ----------------------------------------------------------------------------------------

    @Test
    void ofConcurrentConsumesOfOneStateExactlyOneWins() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            PendingAuthorization pending = saved(t0);

            List<Object> outcomes = race(() -> consume(pending.key(), t0.plusSeconds(1)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(Consumption.Consumed.class, 1L, Consumption.Rejected.class, (long) RACERS - 1));
            assertThat(outcomes).containsOnly(new Consumption.Consumed(pending),
                    Consumption.rejected(StateRejection.ALREADY_USED));
        }
    }

    @Test
    void ofConcurrentPickUpsOfOneResultExactlyOneGetsIt() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            PendingAuthorization pending = saved(t0);
            FinishedLogin finished = finish(pending, t0.plusSeconds(1));

            List<Object> outcomes = race(() -> pickUp(pending.key(), t0.plusSeconds(2)));

            assertThat(countByType(outcomes))
                    .isEqualTo(Map.of(PickUp.Ready.class, 1L, PickUp.AlreadyPickedUp.class, (long) RACERS - 1));
            assertThat(outcomes).contains(new PickUp.Ready(finished));
        }
    }

    // --- helpers: the service's own transitions, through the port -----------------------------------

    private Creation create(PendingAuthorization pending) {
        return store.create(new OAuthSession.Pending(pending));
    }

    private Consumption consume(StateHash key, Instant now) {
        return store.update(key, OAuthSession.consume(now, RESULT_TTL));
    }

    private void finishWith(FinishedLogin finished) {
        store.update(finished.key(), OAuthSession.finish(finished));
    }

    private PickUp pickUp(StateHash key, Instant now) {
        return store.update(key, OAuthSession.pickUp(now));
    }

    private boolean cancel(StateHash key) {
        return store.update(key, OAuthSession.cancel(t0)) instanceof OAuthSession.Cancellation.Cancelled;
    }

    private List<SessionSummary> summaries(Instant now) {
        return store.oldest(now, Integer.MAX_VALUE);
    }

    private Creation createBy(ClientKey client, Instant at, int quota) {
        return store.create(new OAuthSession.Pending(Logins.pending(at, client)), quota);
    }

    private PendingAuthorization savedBy(ClientKey client, Instant at, int quota) {
        PendingAuthorization pending = Logins.pending(at, client);
        assertThat(store.create(new OAuthSession.Pending(pending), quota)).isEqualTo(new Creation.Created());
        return pending;
    }

    private PendingAuthorization saved(Instant createdAt) {
        PendingAuthorization pending = Logins.pending(createdAt);
        assertThat(create(pending)).isEqualTo(new Creation.Created());
        return pending;
    }

    /** Consumes the login and records a successful result, both at {@code at}, as the redirect flow does. */
    private FinishedLogin finish(PendingAuthorization pending, Instant at) {
        assertThat(consume(pending.key(), at)).isEqualTo(new Consumption.Consumed(pending));
        FinishedLogin finished = Logins.succeeded(pending, at, RESULT_TTL);
        finishWith(finished);
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
