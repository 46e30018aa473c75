package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStore.Creation;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Consumption;
import dev.starlib.auth.domain.OAuthSession.PickUp;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.StateRejection;

import java.time.Instant;
import java.util.List;

/** The service's own lifecycle steps, applied through the store port, as the use cases apply them. */
final class LoginSteps {

    static final Consumption ALREADY_USED = Consumption.rejected(StateRejection.ALREADY_USED);
    static final Consumption UNKNOWN = Consumption.rejected(StateRejection.UNKNOWN);
    static final Consumption EXPIRED = Consumption.rejected(StateRejection.EXPIRED);
    static final Creation CREATED = new Creation.Created();
    static final PickUp NOT_READY = new PickUp.NotReady();
    static final PickUp ALREADY_PICKED_UP = new PickUp.AlreadyPickedUp();

    private LoginSteps() {
    }

    static Creation create(SessionStore store, PendingAuthorization pending) {
        return store.create(new OAuthSession.Pending(pending));
    }

    static Consumption consume(SessionStore store, StateHash key, Instant now) {
        return store.update(key, OAuthSession.consume(now, StoreFixtures.RESULT_TTL));
    }

    static Consumption consumed(PendingAuthorization pending) {
        return new Consumption.Consumed(pending);
    }

    static void saveResult(SessionStore store, FinishedLogin finished) {
        store.update(finished.key(), OAuthSession.finish(finished));
    }

    /** Consumes the pending login (it must be consumable) and saves its successful result: the login finished. */
    static FinishedLogin finish(SessionStore store, PendingAuthorization pending, Instant at) {
        if (!consume(store, pending.key(), at).equals(consumed(pending))) {
            throw new AssertionError("the login was not consumable at " + at);
        }
        FinishedLogin finished = Logins.succeeded(pending, at, StoreFixtures.RESULT_TTL);
        saveResult(store, finished);
        return finished;
    }

    static PickUp pickUp(SessionStore store, StateHash key, Instant now) {
        return store.update(key, OAuthSession.pickUp(now));
    }

    static PickUp ready(FinishedLogin finished) {
        return new PickUp.Ready(finished);
    }

    static boolean cancel(SessionStore store, StateHash key, Instant now) {
        return store.update(key, OAuthSession.cancel(now)) instanceof OAuthSession.Cancellation.Cancelled;
    }

    static List<SessionSummary> summaries(SessionInventory inventory, Instant now) {
        return inventory.oldest(now, Integer.MAX_VALUE);
    }
}
