package dev.starlib.auth.sandbox;

import java.util.Objects;

/** What {@code GET /me} answers: the token's user, or a refusal (401). */
sealed interface MeOutcome {

    record Found(SandboxUser user) implements MeOutcome {
        public Found {
            Objects.requireNonNull(user, "user");
        }
    }

    record Unauthorized(String description) implements MeOutcome {
        public Unauthorized {
            Objects.requireNonNull(description, "description");
        }
    }
}
