package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.State;

import java.time.Clock;
import java.util.Objects;

/**
 * {@code GET /done?state=…}: how the sign-in that sent the browser here ended, so the page claims only what the
 * store knows. Reads only: the result stays for the app's one pickup.
 */
public final class LookUpLogin {

    private final SessionStore store;
    private final Clock clock;

    public LookUpLogin(SessionStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public sealed interface Result {
        /** Finished with tokens, waiting for the app's pickup. */
        record SignedIn() implements Result {
        }

        /** Finished and picked up by the app, which has the outcome now (this service no longer does). */
        record Collected() implements Result {
        }

        record Failed(LoginFailure failure) implements Result {
        }

        /** SoundCloud has not sent the user back yet, or the code exchange is still running. */
        record Underway() implements Result {
        }

        /** Not a login this service knows now: never started here, expired, cancelled or forgotten. */
        record Unknown() implements Result {
        }

        /** The store could not be asked: nothing is claimed either way. */
        record Unavailable() implements Result {
        }
    }

    public Result lookUp(State state) {
        OAuthSession.Progress progress;
        try {
            progress = store.update(state.hash(), OAuthSession.progress(clock.instant()));
        } catch (SessionStoreException e) {
            return new Result.Unavailable();
        }
        return switch (progress) {
            case OAuthSession.Progress.Succeeded succeeded -> new Result.SignedIn();
            case OAuthSession.Progress.HandedOut handedOut -> new Result.Collected();
            case OAuthSession.Progress.Failed failed -> new Result.Failed(failed.failure());
            case OAuthSession.Progress.Underway underway -> new Result.Underway();
            case OAuthSession.Progress.Unknown unknown -> new Result.Unknown();
        };
    }
}
