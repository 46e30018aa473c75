package dev.starlib.auth.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One rule about what a client may do, as a pure function of what is tallied for it (a token bucket, a count of
 * wrong passwords), like a {@link Transition} is for a session. A ledger applies it atomically per client: under
 * a lock, or as a compare-and-set on a version, retrying with the newer tally when another writer came first (so
 * it must have no side effects).
 *
 * @param <S> what is tallied for one client
 * @param <A> what the caller is told
 */
@FunctionalInterface
public interface ClientRule<S, A> {

    /** @param current what is tallied for the client, or {@code null} when nothing is */
    Outcome<S, A> apply(S current, Instant now);

    /**
     * @param next     what to keep for the client from now on; {@code null}: nothing
     * @param forgetAt from when keeping {@code next} makes no difference: it is then the same as keeping nothing,
     *                 so a ledger may forget it (and must, to stay bounded)
     */
    record Outcome<S, A>(S next, Instant forgetAt, A answer) {
        public Outcome {
            Objects.requireNonNull(forgetAt, "forgetAt");
        }
    }
}
