package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.SoundCloud.SessionEnd;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignOutTest {

    private static final RefreshToken OLD = new RefreshToken("rt-before-the-last-refresh");

    private final FakeSoundCloud soundCloud = new FakeSoundCloud().rotating(OLD);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final MutableClock clock = new MutableClock(START);
    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final RefreshTokens refreshTokens = new RefreshTokens(store, soundCloud, Fixtures.breaker(clock, events),
            new RefreshTokens.Settings(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(60)), clock,
            RANDOM, events);
    private final SignOut signOut = new SignOut(soundCloud, store, events);

    @Test
    void signingOutEndsTheSessionAtSoundCloud() {
        Tokens current = refreshed(OLD);

        SignOut.Result result = signOut.signOut(current.accessToken(), Optional.of(current.refreshToken()));

        assertThat(result).isEqualTo(new SignOut.Result.Ended(SessionEnd.ENDED));
        assertThat(soundCloud.signOuts).containsExactly(current.accessToken());
        assertThat(events.signOutsFinished).containsExactly("success");
    }

    @Test
    void aTokenSoundCloudNoLongerKnowsIsSignedOutAllTheSame() {
        soundCloud.answerSignOut(new UpstreamResult.Success<>(SessionEnd.ALREADY_INVALID));

        SignOut.Result result = signOut.signOut(refreshed(OLD).accessToken(), Optional.empty());

        assertThat(result).isEqualTo(new SignOut.Result.Ended(SessionEnd.ALREADY_INVALID));
        assertThat(events.signOutsFinished).containsExactly("already_invalid");
    }

    @Test
    void noRememberedPairOutlivesTheSignOut() {
        Tokens current = refreshed(OLD);

        signOut.signOut(current.accessToken(), Optional.of(current.refreshToken()));

        // The old token would have got the same pair again within the window; now SoundCloud is asked, and refuses.
        assertThat(refreshTokens.refresh(OLD)).isInstanceOf(RefreshTokens.Result.Failed.class);
        assertThat(soundCloud.refreshes).hasSize(2);
    }

    @Test
    void theRefreshTokenSignedOutIsNotAnsweredFromMemoryEither() {
        Tokens first = refreshed(OLD);
        Tokens second = refreshed(first.refreshToken());

        signOut.signOut(second.accessToken(), Optional.of(first.refreshToken()));

        assertThat(refreshTokens.refresh(first.refreshToken())).isInstanceOf(RefreshTokens.Result.Failed.class);
    }

    @Test
    void soundCloudDownOrSlowSaysTheSessionMayStillBeAlive() {
        soundCloud.answerSignOut(new UpstreamResult.Unavailable<>("HTTP 503"));
        SignOut.Result down = signOut.signOut(refreshed(OLD).accessToken(), Optional.empty());
        soundCloud.answerSignOut(new UpstreamResult.TimedOut<>());
        SignOut.Result slow = signOut.signOut(FakeSoundCloud.TOKENS.accessToken(), Optional.empty());

        assertThat(((SignOut.Result.Failed) down).failure().reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
        assertThat(((SignOut.Result.Failed) slow).failure().reason()).isEqualTo(Reason.UPSTREAM_TIMEOUT);
        assertThat(((SignOut.Result.Failed) slow).failure().description()).contains("may still be active");
        assertThat(events.signOutsFinished).containsExactly("upstream_unavailable", "upstream_timeout");
    }

    @Test
    void whenTheRememberedPairsCannotBeForgottenSoundCloudIsNotAskedYet() {
        store.breakDown();

        assertThatThrownBy(() -> signOut.signOut(FakeSoundCloud.TOKENS.accessToken(), Optional.empty()))
                .isInstanceOf(SessionStoreException.class);
        assertThat(soundCloud.signOuts).isEmpty();
    }

    private Tokens refreshed(RefreshToken token) {
        RefreshTokens.Result result = refreshTokens.refresh(token);
        assertThat(result).isInstanceOf(RefreshTokens.Result.Refreshed.class);
        return ((RefreshTokens.Result.Refreshed) result).tokens();
    }
}
