package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Looking into a real store from a test, through the port only: a transition that changes nothing. */
final class StoredSessions {

    private StoredSessions() {
    }

    static Optional<OAuthSession> peek(SessionStore store, StateHash key) {
        return store.update(key, current -> new Step<>(current, current, Optional.ofNullable(current)));
    }

    static Optional<PendingAuthorization> pending(SessionStore store, StateHash key) {
        return peek(store, key).filter(OAuthSession.Pending.class::isInstance)
                .map(session -> ((OAuthSession.Pending) session).authorization());
    }

    /** The result stored for pickup, if the login finished and nobody has picked it up. */
    static Optional<FinishedLogin> finished(SessionStore store, StateHash key) {
        return peek(store, key).filter(OAuthSession.Finished.class::isInstance)
                .map(session -> ((OAuthSession.Finished) session).login());
    }

    static <S extends SessionStore & SessionInventory> List<PendingAuthorization> allPending(S store, Instant now) {
        return store.oldest(now, Integer.MAX_VALUE).stream()
                .map(SessionSummary::key)
                .flatMap(key -> pending(store, key).stream())
                .toList();
    }

    static int size(SessionInventory store, Instant now) {
        return store.counts(now).total();
    }
}
