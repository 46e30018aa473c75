package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Cancellation;
import dev.starlib.auth.domain.StateHash;

import java.time.Clock;
import java.util.Objects;

/**
 * An operator drops a login that is still waiting for SoundCloud (from the dashboard). If its user comes back
 * from SoundCloud afterwards, the state is unknown and they are asked to sign in again.
 */
public final class CancelLogin {

    private static final System.Logger LOG = System.getLogger(CancelLogin.class.getName());

    private final SessionStore store;
    private final Clock clock;

    public CancelLogin(SessionStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public sealed interface Result {
        /** What the lifecycle answered: cancelled, underway (left alone) or gone. */
        record Done(Cancellation cancellation) implements Result {
        }

        /** Nothing was cancelled: the store could not be reached or written. */
        record StoreUnavailable(String reason) implements Result {
        }
    }

    public Result cancel(StateHash key) {
        Objects.requireNonNull(key, "key");
        Cancellation cancellation;
        try {
            cancellation = store.update(key, OAuthSession.cancel(clock.instant()));
        } catch (SessionStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "cancelling a session failed: the session store is unavailable");
            return new Result.StoreUnavailable(String.valueOf(e.getMessage()));
        }
        if (cancellation instanceof Cancellation.Cancelled cancelled) {
            LOG.log(System.Logger.Level.INFO, "operator cancelled pending login state={0}…", cancelled.stateHint());
        }
        return new Result.Done(cancellation);
    }
}
