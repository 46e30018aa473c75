package dev.starlib.auth.domain;

import java.util.Objects;

/** How a login ended: tokens and the user, or a failure the client is told about. */
public sealed interface LoginOutcome {

    record Succeeded(Tokens tokens, SoundCloudUser user) implements LoginOutcome {
        public Succeeded {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(user, "user");
        }
    }

    record Failed(LoginFailure failure) implements LoginOutcome {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
