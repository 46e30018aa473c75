package dev.starlib.auth.domain;

import java.time.Instant;
import java.util.Objects;

/** A login that SoundCloud has answered, waiting (until {@code expiresAt}) for the frontend to pick it up once. */
public record FinishedLogin(StateHash key, String stateHint, LoginOutcome outcome, Instant finishedAt, Instant expiresAt) {

    public FinishedLogin {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stateHint, "stateHint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "FinishedLogin[state=" + stateHint + "…, outcome=" + outcome.getClass().getSimpleName()
                + ", expiresAt=" + expiresAt + "]";
    }
}
