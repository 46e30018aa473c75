package dev.starlib.auth.domain;

import java.util.Optional;

/**
 * What a {@link Transition} does to one key: the stage {@code before} it (as stored, or {@code null}), the stage
 * {@code after} it, and the answer for the caller.
 */
public record Step<A>(OAuthSession before, OAuthSession after, A answer) {

    /** Nothing changes. */
    static <A> Step<A> stay(OAuthSession current, A answer) {
        return new Step<>(current, current, answer);
    }

    static <A> Step<A> become(OAuthSession before, OAuthSession after, A answer) {
        return new Step<>(before, after, answer);
    }

    /** Whether the store must write: the key holds another stage, or nothing, from now on. */
    public boolean changes() {
        return after != before;
    }

    /** What the store keeps under the key from now on: nothing once the session has ended. */
    public Optional<OAuthSession> kept() {
        return after == null || after.stage().ended() ? Optional.empty() : Optional.of(after);
    }
}
