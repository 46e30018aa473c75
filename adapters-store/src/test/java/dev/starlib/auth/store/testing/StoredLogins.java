package dev.starlib.auth.store.testing;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.Tokens;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/** Puts real logins into a store, each moved to its stage by the domain's own transitions. */
public final class StoredLogins {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReturnTo RETURN_TO = new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback"));
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);

    private StoredLogins() {
    }

    /** Stores as many sessions in each stage as {@code counts} says, all started at {@code now}. */
    public static void fill(SessionStore store, Instant now, SessionCounts counts) {
        for (int i = 0; i < counts.pending(); i++) {
            start(store, now);
        }
        for (int i = 0; i < counts.exchanging(); i++) {
            store.update(start(store, now).key(), OAuthSession.consume(now, RESULT_TTL));
        }
        for (int i = 0; i < counts.finished(); i++) {
            finish(store, start(store, now), now);
        }
        for (int i = 0; i < counts.pickedUp(); i++) {
            PendingAuthorization pending = start(store, now);
            finish(store, pending, now);
            store.update(pending.key(), OAuthSession.pickUp(now));
        }
    }

    private static PendingAuthorization start(SessionStore store, Instant now) {
        PendingAuthorization pending = PendingAuthorization.start(State.generate(RANDOM), CodeVerifier.generate(RANDOM),
                RETURN_TO, now, PENDING_TTL);
        if (!(store.create(new OAuthSession.Pending(pending)) instanceof SessionStore.Creation.Created)) {
            throw new IllegalStateException("the store is full");
        }
        return pending;
    }

    private static void finish(SessionStore store, PendingAuthorization pending, Instant now) {
        store.update(pending.key(), OAuthSession.consume(now, RESULT_TTL));
        Tokens tokens = new Tokens(new AccessToken("access-" + pending.stateHint()),
                new RefreshToken("refresh-" + pending.stateHint()), Duration.ofHours(1));
        store.update(pending.key(), OAuthSession.finish(new FinishedLogin(pending.key(), pending.stateHint(),
                new LoginOutcome.Succeeded(tokens, new SoundCloudUser(4242, "ada", "ada", null)), now,
                now.plus(RESULT_TTL))));
    }
}
