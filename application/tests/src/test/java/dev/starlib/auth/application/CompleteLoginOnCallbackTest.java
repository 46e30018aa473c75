package dev.starlib.auth.application;

import dev.starlib.auth.application.CompleteLogin.CallbackResult;
import dev.starlib.auth.application.Fixtures.Started;
import dev.starlib.auth.application.RecordingAuthEvents.LoginFinished;
import dev.starlib.auth.application.port.AuthEvents.Flow;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static dev.starlib.auth.application.FakeSoundCloud.USER;
import static dev.starlib.auth.application.Fixtures.PENDING_TTL;
import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.RESULT_TTL;
import static dev.starlib.auth.application.Fixtures.START;
import static dev.starlib.auth.application.Fixtures.startLogin;
import static org.assertj.core.api.Assertions.assertThat;

class CompleteLoginOnCallbackTest {

    private static final AuthorizationCode CODE = new AuthorizationCode("sc-code-direct-flow");

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final TokenEndpointBreaker breaker = Fixtures.breaker(clock, events);
    private final CompleteLogin completeLogin = new CompleteLogin(store, soundCloud, breaker, RESULT_TTL, clock, events);

    private LoginOutcome finished(CallbackResult result) {
        assertThat(result).isInstanceOf(CallbackResult.Finished.class);
        return ((CallbackResult.Finished) result).outcome();
    }

    @Test
    void successReturnsTokensAndUserAndStoresNothingForPickup() {
        Started login = startLogin(store, clock);

        LoginOutcome outcome = finished(completeLogin.onCallback(login.state(), CODE));

        assertThat(outcome).isEqualTo(new LoginOutcome.Succeeded(TOKENS, USER));
        assertThat(StoredSessions.finished(store, login.state().hash())).isEmpty();
        assertThat(new PickUpLogin(store, clock).pickUp(login.state()))
                .isInstanceOf(PickUpLogin.Result.NotReady.class);
    }

    @Test
    void exchangeUsesTheCodeAndTheVerifierStoredForThatState() {
        Started first = startLogin(store, clock);
        Started second = startLogin(store, clock);

        completeLogin.onCallback(first.state(), CODE);

        assertThat(soundCloud.exchanges).containsExactly(new FakeSoundCloud.Exchange(CODE, first.verifier()));
        assertThat(soundCloud.exchanges.get(0).verifier()).isNotEqualTo(second.verifier());
    }

    @Test
    void successIsReportedAsDirectCallback() {
        Started login = startLogin(store, clock);

        completeLogin.onCallback(login.state(), CODE);

        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.DIRECT_CALLBACK, "success", login.state().hint()));
    }

    static Stream<Arguments> exchangeFailures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_grant", 400), Reason.INVALID_GRANT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_client", 401), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("unsupported_grant_type", 400), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.Unavailable<Tokens>("HTTP 502"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<Tokens>(), Reason.UPSTREAM_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("exchangeFailures")
    void failedExchangeIsReturnedAndReported(UpstreamResult<Tokens> answer, Reason expected) {
        soundCloud.answerExchange(answer);
        Started login = startLogin(store, clock);

        LoginOutcome outcome = finished(completeLogin.onCallback(login.state(), CODE));

        assertThat(outcome).isInstanceOf(LoginOutcome.Failed.class);
        assertThat(((LoginOutcome.Failed) outcome).failure().reason()).isEqualTo(expected);
        assertThat(((LoginOutcome.Failed) outcome).failure().description()).isNotBlank();
        assertThat(soundCloud.meCalls).isEmpty();
        assertThat(StoredSessions.finished(store, login.state().hash())).isEmpty();
        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.DIRECT_CALLBACK, expected.code(), login.state().hint()));
    }

    static Stream<Arguments> meFailures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Unavailable<SoundCloudUser>("HTTP 500"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<SoundCloudUser>(), Reason.UPSTREAM_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("meFailures")
    void failureToFetchTheUserIsReturned(UpstreamResult<SoundCloudUser> answer, Reason expected) {
        soundCloud.answerMe(answer);

        LoginOutcome outcome = finished(completeLogin.onCallback(startLogin(store, clock).state(), CODE));

        assertThat(((LoginOutcome.Failed) outcome).failure().reason()).isEqualTo(expected);
    }

    @Test
    void unknownStateIsRejectedWithoutCallingSoundCloud() {
        State stranger = State.generate(RANDOM);

        assertThat(completeLogin.onCallback(stranger, CODE))
                .isEqualTo(new CallbackResult.StateRejected(StateRejection.UNKNOWN));
        assertThat(soundCloud.totalCalls()).isZero();
        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.DIRECT_CALLBACK, "invalid_state", stranger.hint()));
    }

    @Test
    void expiredStateIsRejectedWithoutCallingSoundCloud() {
        Started login = startLogin(store, clock);
        clock.advance(PENDING_TTL.plusSeconds(1));

        assertThat(completeLogin.onCallback(login.state(), CODE))
                .isEqualTo(new CallbackResult.StateRejected(StateRejection.EXPIRED));
        assertThat(soundCloud.totalCalls()).isZero();
    }

    @Test
    void replayedStateIsRejectedAndSoundCloudIsCalledOnce() {
        Started login = startLogin(store, clock);
        completeLogin.onCallback(login.state(), CODE);

        assertThat(completeLogin.onCallback(login.state(), CODE))
                .isEqualTo(new CallbackResult.StateRejected(StateRejection.ALREADY_USED));
        assertThat(soundCloud.exchanges).hasSize(1);
    }

    @Test
    void stateAlreadyCompletedByTheRedirectFlowIsRejected() {
        Started login = startLogin(store, clock);
        completeLogin.onRedirect(new SoundCloudRedirect.Approved(login.state(), CODE));

        assertThat(completeLogin.onCallback(login.state(), CODE))
                .isEqualTo(new CallbackResult.StateRejected(StateRejection.ALREADY_USED));
        assertThat(soundCloud.exchanges).hasSize(1);
    }

    @Test
    void anOpenBreakerFailsTheLoginAtOnceWithoutSendingTheCode() {
        Fixtures.openBreaker(breaker);
        Started login = startLogin(store, clock);

        LoginOutcome outcome = finished(completeLogin.onCallback(login.state(), CODE));

        assertThat(outcome).isInstanceOf(LoginOutcome.Failed.class);
        var failure = ((LoginOutcome.Failed) outcome).failure();
        assertThat(failure.reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
        assertThat(failure.retryAfter()).contains(Fixtures.BREAKER.openFor());
        assertThat(soundCloud.exchanges).isEmpty();
        // The state is used up; the user signs in again with a new one.
        assertThat(completeLogin.onCallback(login.state(), CODE))
                .isEqualTo(new CallbackResult.StateRejected(StateRejection.ALREADY_USED));
    }

    @Test
    void exchangesThatGetNoAnswerOpenTheBreakerAndAreNeverRetried() {
        soundCloud.answerExchange(new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int i = 0; i < Fixtures.BREAKER.failuresToOpen() + 2; i++) {
            completeLogin.onCallback(startLogin(store, clock).state(), CODE);
        }

        assertThat(soundCloud.exchanges).hasSize(Fixtures.BREAKER.failuresToOpen());
        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.OPEN);
    }

    @Test
    void aRefusedCodeNeverOpensTheBreaker() {
        soundCloud.answerExchange(new UpstreamResult.Rejected<>("invalid_grant", 400));
        for (int i = 0; i < Fixtures.BREAKER.failuresToOpen() * 3; i++) {
            completeLogin.onCallback(startLogin(store, clock).state(), CODE);
        }

        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.CLOSED);
    }
}
