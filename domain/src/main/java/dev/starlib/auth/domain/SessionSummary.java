package dev.starlib.auth.domain;

import java.time.Instant;
import java.util.Objects;

/** One session as an operator may see it: a state hint, never the state, a verifier or a token. */
public record SessionSummary(StateHash key, String stateHint, OAuthSession.Stage stage, String returnToOrigin,
                             Instant since, Instant expiresAt) {

    public SessionSummary {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stateHint, "stateHint");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(returnToOrigin, "returnToOrigin");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
