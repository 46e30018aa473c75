package dev.starlib.auth.domain;

import dev.starlib.auth.domain.OAuthSession.Cancellation;
import dev.starlib.auth.domain.OAuthSession.Consumption;
import dev.starlib.auth.domain.OAuthSession.PickUp;
import dev.starlib.auth.domain.OAuthSession.Stage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every transition of the login lifecycle from every stage, including every rejection. */
class OAuthSessionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final String ORIGIN = "http://localhost:3000";
    private static final ReturnTo RETURN_TO = new ReturnTo(URI.create(ORIGIN + "/auth/soundcloud/callback"));

    private final State state = State.generate(RANDOM);
    private final PendingAuthorization authorization =
            PendingAuthorization.start(state, CodeVerifier.generate(RANDOM), RETURN_TO, T0, PENDING_TTL);
    private final OAuthSession.Pending pending = new OAuthSession.Pending(authorization);

    private FinishedLogin result(Instant at) {
        Tokens tokens = new Tokens(new AccessToken("access"), new RefreshToken("refresh"), Duration.ofHours(1));
        return new FinishedLogin(state.hash(), state.hint(),
                new LoginOutcome.Succeeded(tokens, new SoundCloudUser(7, "ada", "ada", null)), at, at.plus(RESULT_TTL));
    }

    private OAuthSession exchanging(Instant consumedAt) {
        return OAuthSession.consume(consumedAt, RESULT_TTL).apply(pending).after();
    }

    private OAuthSession.Finished finished(Instant at) {
        return (OAuthSession.Finished) OAuthSession.finish(result(at)).apply(exchanging(at)).after();
    }

    private OAuthSession pickedUp(Instant at) {
        return OAuthSession.pickUp(at).apply(finished(at)).after();
    }

    private static <A> void assertUnchanged(Step<A> step) {
        assertThat(step.changes()).isFalse();
        assertThat(step.after()).isSameAs(step.before());
    }

    private static <A> void assertForgotten(Step<A> step, Stage ended) {
        assertThat(step.changes()).isTrue();
        assertThat(step.after().stage()).isEqualTo(ended);
        assertThat(step.kept()).isEmpty();
    }

    @Nested
    class Consume {

        @Test
        void pendingLoginIsTakenOnceAndBecomesAnExchangingMarkerThatLastsTheResultTtl() {
            Instant now = T0.plusSeconds(30);

            Step<Consumption> step = OAuthSession.consume(now, RESULT_TTL).apply(pending);

            assertThat(step.answer()).isEqualTo(new Consumption.Consumed(authorization));
            assertThat(step.kept()).contains(new OAuthSession.Exchanging(state.hash(), state.hint(), ORIGIN, T0,
                    now.plus(RESULT_TTL)));
        }

        @Test
        void pendingLoginAMomentBeforeItsExpiryIsStillTaken() {
            Step<Consumption> step = OAuthSession.consume(authorization.expiresAt().minusMillis(1), RESULT_TTL)
                    .apply(pending);

            assertThat(step.answer()).isInstanceOf(Consumption.Consumed.class);
        }

        @Test
        void pendingLoginAtItsExpiryIsExpiredAndForgotten() {
            Step<Consumption> step = OAuthSession.consume(authorization.expiresAt(), RESULT_TTL).apply(pending);

            assertThat(step.answer()).isEqualTo(Consumption.rejected(StateRejection.EXPIRED));
            assertForgotten(step, Stage.EXPIRED);
        }

        @Test
        void nothingStoredIsUnknown() {
            Step<Consumption> step = OAuthSession.consume(T0, RESULT_TTL).apply(null);

            assertThat(step.answer()).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
            assertUnchanged(step);
        }

        @Test
        void replayWhileTheCodeIsExchangedIsAlreadyUsed() {
            OAuthSession marker = exchanging(T0.plusSeconds(1));

            Step<Consumption> step = OAuthSession.consume(T0.plusSeconds(2), RESULT_TTL).apply(marker);

            assertThat(step.answer()).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
            assertUnchanged(step);
        }

        @Test
        void replayOnceFinishedOrPickedUpIsAlreadyUsed() {
            for (OAuthSession later : new OAuthSession[] {finished(T0.plusSeconds(1)), pickedUp(T0.plusSeconds(1))}) {
                Step<Consumption> step = OAuthSession.consume(T0.plusSeconds(2), RESULT_TTL).apply(later);

                assertThat(step.answer()).isEqualTo(Consumption.rejected(StateRejection.ALREADY_USED));
                assertUnchanged(step);
            }
        }

        @Test
        void replayAfterTheMarkerExpiredIsUnknownAndTheMarkerIsForgotten() {
            OAuthSession marker = exchanging(T0);

            Step<Consumption> step = OAuthSession.consume(marker.expiresAt(), RESULT_TTL).apply(marker);

            assertThat(step.answer()).isEqualTo(Consumption.rejected(StateRejection.UNKNOWN));
            assertForgotten(step, Stage.EXPIRED);
        }
    }

    @Nested
    class Finish {

        @Test
        void resultReplacesTheExchangingMarkerAndKeepsTheReturnOrigin() {
            FinishedLogin login = result(T0.plusSeconds(5));

            Step<FinishedLogin> step = OAuthSession.finish(login).apply(exchanging(T0.plusSeconds(1)));

            assertThat(step.kept()).contains(new OAuthSession.Finished(login, ORIGIN));
            assertThat(step.kept().orElseThrow().expiresAt()).isEqualTo(login.expiresAt());
        }

        @Test
        void resultOfAnExchangeThatOutlivedItsMarkerIsKeptWithoutAnOrigin() {
            FinishedLogin login = result(T0.plusSeconds(500));

            Step<FinishedLogin> step = OAuthSession.finish(login).apply(null);

            assertThat(step.kept()).contains(new OAuthSession.Finished(login, ""));
        }

        @Test
        void resultBeforeTheLoginWasConsumedIsABug() {
            assertThatThrownBy(() -> OAuthSession.finish(result(T0)).apply(pending))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(state.hint()).hasMessageNotContaining(state.value());
        }

        @Test
        void secondResultIsABugWhetherOrNotTheFirstWasPickedUp() {
            assertThatThrownBy(() -> OAuthSession.finish(result(T0)).apply(finished(T0)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> OAuthSession.finish(result(T0)).apply(pickedUp(T0)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class PickUpTheResult {

        @Test
        void finishedLoginIsHandedOutOnceAndLeavesAMarkerUntilTheResultWouldHaveExpired() {
            OAuthSession.Finished result = finished(T0);

            Step<PickUp> step = OAuthSession.pickUp(T0.plusSeconds(3)).apply(result);

            assertThat(step.answer()).isEqualTo(new PickUp.Ready(result.login()));
            assertThat(step.kept()).contains(new OAuthSession.PickedUp(state.hash(), state.hint(), ORIGIN, T0,
                    result.expiresAt()));
        }

        @Test
        void secondPickUpIsAlreadyPickedUp() {
            Step<PickUp> step = OAuthSession.pickUp(T0.plusSeconds(4)).apply(pickedUp(T0));

            assertThat(step.answer()).isEqualTo(new PickUp.AlreadyPickedUp());
            assertUnchanged(step);
        }

        @Test
        void loginNotYetFinishedOrUnknownIsNotReady() {
            for (OAuthSession notYet : new OAuthSession[] {pending, exchanging(T0), null}) {
                Step<PickUp> step = OAuthSession.pickUp(T0.plusSeconds(1)).apply(notYet);

                assertThat(step.answer()).isEqualTo(new PickUp.NotReady());
                assertUnchanged(step);
            }
        }

        @Test
        void resultOrMarkerAtItsExpiryIsNotReadyAndForgotten() {
            for (OAuthSession old : new OAuthSession[] {finished(T0), pickedUp(T0)}) {
                Step<PickUp> step = OAuthSession.pickUp(old.expiresAt()).apply(old);

                assertThat(step.answer()).isEqualTo(new PickUp.NotReady());
                assertForgotten(step, Stage.EXPIRED);
            }
        }
    }

    @Nested
    class Cancel {

        @Test
        void pendingLoginIsCancelledAndForgotten() {
            Step<Cancellation> step = OAuthSession.cancel(T0.plusSeconds(1)).apply(pending);

            assertThat(step.answer()).isEqualTo(new Cancellation.Cancelled(state.hint()));
            assertForgotten(step, Stage.CANCELLED);
        }

        @Test
        void loginThatSoundCloudHasAnsweredIsUnderwayAndLeftAlone() {
            for (OAuthSession underway : new OAuthSession[] {exchanging(T0), finished(T0), pickedUp(T0)}) {
                Step<Cancellation> step = OAuthSession.cancel(T0.plusSeconds(1)).apply(underway);

                assertThat(step.answer()).isEqualTo(new Cancellation.Underway(state.hint(), underway.stage()));
                assertUnchanged(step);
            }
        }

        @Test
        void nothingOrAnExpiredLoginIsGone() {
            assertThat(OAuthSession.cancel(T0).apply(null).answer()).isEqualTo(new Cancellation.Gone());

            Step<Cancellation> expired = OAuthSession.cancel(authorization.expiresAt()).apply(pending);

            assertThat(expired.answer()).isEqualTo(new Cancellation.Gone());
            assertForgotten(expired, Stage.EXPIRED);
        }
    }

    @Nested
    class WhatTheStagesShow {

        @Test
        void onlyAPendingOrFinishedLoginHandsSomethingOut() {
            assertThat(pending.handsSomethingOut()).isTrue();
            assertThat(finished(T0).handsSomethingOut()).isTrue();
            assertThat(exchanging(T0).handsSomethingOut()).isFalse();
            assertThat(pickedUp(T0).handsSomethingOut()).isFalse();
        }

        @Test
        void endedStagesAreNeverKept() {
            assertThat(Stage.CANCELLED.ended()).isTrue();
            assertThat(Stage.EXPIRED.ended()).isTrue();
            assertThat(Stage.values()).filteredOn(stage -> !stage.ended())
                    .containsExactly(Stage.PENDING, Stage.EXCHANGING, Stage.FINISHED, Stage.PICKED_UP);
        }

        @Test
        void summaryShowsTheHintAndTheOriginButNoSecret() {
            SessionSummary summary = pending.summary();

            assertThat(summary).isEqualTo(new SessionSummary(state.hash(), state.hint(), Stage.PENDING, ORIGIN, T0,
                    T0.plus(PENDING_TTL)));
            assertThat(summary.toString()).doesNotContain(state.value(), authorization.verifier().value());
            assertThat(finished(T0).toString()).doesNotContain("access", "refresh", state.value());
        }

        @Test
        void countsAddUpByStage() {
            SessionCounts counts = SessionCounts.NONE.plus(Stage.PENDING).plus(Stage.PENDING).plus(Stage.FINISHED)
                    .plus(Stage.CANCELLED);

            assertThat(counts).isEqualTo(new SessionCounts(2, 0, 1, 0));
            assertThat(counts.total()).isEqualTo(3);
        }
    }

    @Nested
    class Progress {

        private OAuthSession.Progress progressOf(OAuthSession session, Instant now) {
            Step<OAuthSession.Progress> step = OAuthSession.progress(now).apply(session);
            assertUnchanged(step);
            return step.answer();
        }

        @Test
        void aFinishedSuccessIsSucceededAndStaysForItsPickup() {
            assertThat(progressOf(finished(T0), T0.plusSeconds(1))).isInstanceOf(OAuthSession.Progress.Succeeded.class);
        }

        @Test
        void aFinishedFailureSaysWhy() {
            LoginFailure denied = new LoginFailure(LoginFailure.Reason.ACCESS_DENIED, "You said no.");
            FinishedLogin failed = new FinishedLogin(state.hash(), state.hint(), new LoginOutcome.Failed(denied), T0,
                    T0.plus(RESULT_TTL));
            OAuthSession session = OAuthSession.finish(failed).apply(exchanging(T0)).after();

            assertThat(progressOf(session, T0.plusSeconds(1))).isEqualTo(new OAuthSession.Progress.Failed(denied));
        }

        @Test
        void pendingAndExchangingAreUnderway() {
            assertThat(progressOf(pending, T0.plusSeconds(1))).isInstanceOf(OAuthSession.Progress.Underway.class);
            assertThat(progressOf(exchanging(T0), T0.plusSeconds(1))).isInstanceOf(OAuthSession.Progress.Underway.class);
        }

        @Test
        void aPickedUpResultIsHandedOut() {
            assertThat(progressOf(pickedUp(T0), T0.plusSeconds(1))).isInstanceOf(OAuthSession.Progress.HandedOut.class);
        }

        @Test
        void nothingExpiredOrEndedIsUnknown() {
            assertThat(progressOf(null, T0)).isInstanceOf(OAuthSession.Progress.Unknown.class);
            assertThat(progressOf(finished(T0), T0.plus(RESULT_TTL))).isInstanceOf(OAuthSession.Progress.Unknown.class);
            assertThat(progressOf(pending, T0.plus(PENDING_TTL))).isInstanceOf(OAuthSession.Progress.Unknown.class);
            OAuthSession cancelled = OAuthSession.cancel(T0).apply(pending).after();
            assertThat(progressOf(cancelled, T0)).isInstanceOf(OAuthSession.Progress.Unknown.class);
        }
    }
}
