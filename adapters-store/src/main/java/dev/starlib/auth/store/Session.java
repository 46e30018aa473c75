package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore.SessionSummary;
import dev.starlib.auth.application.port.SessionStore.SessionSummary.Stage;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Duration;
import java.time.Instant;

/**
 * One stored session in one of its four stages. Only {@link Pending} and {@link Finished} hold what a
 * caller gets back; the two markers keep just enough to answer "already used" and to show operators.
 */
sealed interface Session {

    Instant expiresAt();

    SessionSummary summary(StateHash key);

    default boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt());
    }

    /** Started, waiting for SoundCloud to send the user back. */
    record Pending(PendingAuthorization authorization) implements Session {

        @Override
        public Instant expiresAt() {
            return authorization.expiresAt();
        }

        /** The marker left while the code exchange runs: long enough for the result to be saved over it. */
        Exchanging consumedAt(Instant now, Duration resultTtl) {
            return new Exchanging(authorization.stateHint(), authorization.returnTo().origin().toString(),
                    authorization.createdAt(), now.plus(resultTtl));
        }

        @Override
        public SessionSummary summary(StateHash key) {
            return new SessionSummary(key, authorization.stateHint(), Stage.PENDING,
                    authorization.returnTo().origin().toString(), authorization.createdAt(), expiresAt());
        }
    }

    /** Consumed: the verifier has been handed to the code exchange and is no longer kept. */
    record Exchanging(String stateHint, String returnToOrigin, Instant startedAt, Instant expiresAt)
            implements Session {

        @Override
        public SessionSummary summary(StateHash key) {
            return new SessionSummary(key, stateHint, Stage.EXCHANGING, returnToOrigin, startedAt, expiresAt);
        }
    }

    /** Answered by SoundCloud, waiting for its one pickup. */
    record Finished(FinishedLogin login, String returnToOrigin) implements Session {

        @Override
        public Instant expiresAt() {
            return login.expiresAt();
        }

        /** The marker left once the result is handed out: the tokens are no longer kept. */
        PickedUp pickedUp() {
            return new PickedUp(login.stateHint(), returnToOrigin, login.finishedAt(), login.expiresAt());
        }

        @Override
        public SessionSummary summary(StateHash key) {
            return new SessionSummary(key, login.stateHint(), Stage.FINISHED, returnToOrigin,
                    login.finishedAt(), expiresAt());
        }
    }

    /** Handed out; kept until the result would have expired so that a second pickup is told so. */
    record PickedUp(String stateHint, String returnToOrigin, Instant finishedAt, Instant expiresAt)
            implements Session {

        @Override
        public SessionSummary summary(StateHash key) {
            return new SessionSummary(key, stateHint, Stage.PICKED_UP, returnToOrigin, finishedAt, expiresAt);
        }
    }
}
