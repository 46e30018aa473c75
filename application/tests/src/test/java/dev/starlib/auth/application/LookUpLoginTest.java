package dev.starlib.auth.application;

import dev.starlib.auth.application.Fixtures.Started;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.starlib.auth.application.Fixtures.RESULT_TTL;
import static dev.starlib.auth.application.Fixtures.START;
import static dev.starlib.auth.application.Fixtures.startLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** What the page the desktop flow lands on may claim: only what the store knows, and it takes nothing away. */
class LookUpLoginTest {

    private static final AuthorizationCode CODE = new AuthorizationCode("sc-code-0123456789");

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final CompleteLogin completeLogin = new CompleteLogin(store, new FakeSoundCloud(),
            Fixtures.breaker(clock, events), RESULT_TTL, clock, events);
    private final PickUpLogin pickUpLogin = new PickUpLogin(store, clock);
    private final LookUpLogin lookUpLogin = new LookUpLogin(store, clock);

    @Test
    void aFinishedLoginIsSignedInAndStillThereForTheApp() {
        State state = startLogin(store, clock).state();
        completeLogin.onRedirect(new SoundCloudRedirect.Approved(state, CODE));

        assertThat(lookUpLogin.lookUp(state)).isInstanceOf(LookUpLogin.Result.SignedIn.class);
        assertThat(lookUpLogin.lookUp(state)).isInstanceOf(LookUpLogin.Result.SignedIn.class);
        assertThat(pickUpLogin.pickUp(state)).isInstanceOf(PickUpLogin.Result.Ready.class);
        assertThat(lookUpLogin.lookUp(state)).isInstanceOf(LookUpLogin.Result.Collected.class);
    }

    @Test
    void aDeniedLoginSaysSo() {
        State state = startLogin(store, clock).state();
        completeLogin.onRedirect(new SoundCloudRedirect.Refused(state, "access_denied", Optional.empty()));

        assertThat(lookUpLogin.lookUp(state)).isInstanceOfSatisfying(LookUpLogin.Result.Failed.class,
                failed -> assertThat(failed.failure().reason()).isEqualTo(LoginFailure.Reason.ACCESS_DENIED));
    }

    @Test
    void aStartedLoginIsUnderwayAndAStrangerIsUnknown() {
        Started started = startLogin(store, clock);

        assertThat(lookUpLogin.lookUp(started.state())).isInstanceOf(LookUpLogin.Result.Underway.class);
        assertThat(lookUpLogin.lookUp(State.generate(Fixtures.RANDOM))).isInstanceOf(LookUpLogin.Result.Unknown.class);
    }

    @Test
    void aStoreThatCannotAnswerClaimsNothing() {
        State state = startLogin(store, clock).state();
        store.breakDown();

        assertThat(lookUpLogin.lookUp(state)).isInstanceOf(LookUpLogin.Result.Unavailable.class);
    }
}
