package dev.starlib.auth.application;

import dev.starlib.auth.application.Fixtures.Started;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static dev.starlib.auth.application.FakeSoundCloud.USER;
import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.RESULT_TTL;
import static dev.starlib.auth.application.Fixtures.START;
import static dev.starlib.auth.application.Fixtures.startLogin;
import static org.assertj.core.api.Assertions.assertThat;

class PickUpLoginTest {

    private static final AuthorizationCode CODE = new AuthorizationCode("sc-code-0123456789");

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final MutableClock clock = new MutableClock(START);
    private final CompleteLogin completeLogin =
            new CompleteLogin(store, soundCloud, Fixtures.breaker(clock, AuthEvents.NONE), RESULT_TTL, clock,
                    new RecordingAuthEvents());
    private final PickUpLogin pickUpLogin = new PickUpLogin(store, clock);

    private State finishedLogin() {
        Started login = startLogin(store, clock);
        completeLogin.onRedirect(new SoundCloudRedirect.Approved(login.state(), CODE));
        return login.state();
    }

    private static LoginOutcome ready(PickUpLogin.Result result) {
        assertThat(result).isInstanceOf(PickUpLogin.Result.Ready.class);
        return ((PickUpLogin.Result.Ready) result).outcome();
    }

    @Test
    void finishedLoginIsHandedOutOnceThenAlreadyPickedUp() {
        State state = finishedLogin();

        assertThat(ready(pickUpLogin.pickUp(state))).isEqualTo(new LoginOutcome.Succeeded(TOKENS, USER));
        assertThat(pickUpLogin.pickUp(state)).isInstanceOf(PickUpLogin.Result.AlreadyPickedUp.class);
        assertThat(pickUpLogin.pickUp(state)).isInstanceOf(PickUpLogin.Result.AlreadyPickedUp.class);
    }

    @Test
    void notReadyWhileTheLoginIsPending() {
        Started login = startLogin(store, clock);

        assertThat(pickUpLogin.pickUp(login.state())).isInstanceOf(PickUpLogin.Result.NotReady.class);
        assertThat(pickUpLogin.pickUp(login.state())).isInstanceOf(PickUpLogin.Result.NotReady.class);
    }

    @Test
    void notReadyForAStateNobodyStarted() {
        assertThat(pickUpLogin.pickUp(State.generate(RANDOM))).isInstanceOf(PickUpLogin.Result.NotReady.class);
    }

    @Test
    void expiresInIsReducedByTheTimeTheResultWaited() {
        State state = finishedLogin();
        clock.advance(Duration.ofSeconds(90));

        LoginOutcome outcome = ready(pickUpLogin.pickUp(state));

        Tokens tokens = ((LoginOutcome.Succeeded) outcome).tokens();
        assertThat(tokens.expiresIn()).isEqualTo(TOKENS.expiresIn().minusSeconds(90));
        assertThat(tokens.accessToken()).isEqualTo(TOKENS.accessToken());
        assertThat(tokens.refreshToken()).isEqualTo(TOKENS.refreshToken());
    }

    @Test
    void expiresInNeverGoesNegativeWhenTheTokenOutlivedTheWait() {
        soundCloud.answerExchange(new UpstreamResult.Success<>(
                new Tokens(new AccessToken("short-lived"), new RefreshToken("rt"), Duration.ofSeconds(30))));
        State state = finishedLogin();
        clock.advance(Duration.ofSeconds(120));

        Tokens tokens = ((LoginOutcome.Succeeded) ready(pickUpLogin.pickUp(state))).tokens();

        assertThat(tokens.expiresIn()).isEqualTo(Duration.ZERO);
    }

    @Test
    void failedLoginIsHandedOutUnchanged() {
        Started login = startLogin(store, clock);
        completeLogin.onRedirect(new SoundCloudRedirect.Refused(login.state(), "access_denied", Optional.empty()));
        clock.advance(Duration.ofSeconds(10));

        LoginOutcome outcome = ready(pickUpLogin.pickUp(login.state()));

        assertThat(outcome).isInstanceOf(LoginOutcome.Failed.class);
        assertThat(((LoginOutcome.Failed) outcome).failure().reason()).isEqualTo(Reason.ACCESS_DENIED);
    }

    @Test
    void resultWaitingLongerThanTheResultTtlIsNoLongerHandedOut() {
        State state = finishedLogin();
        clock.advance(RESULT_TTL);

        assertThat(pickUpLogin.pickUp(state)).isInstanceOf(PickUpLogin.Result.NotReady.class);
    }
}
