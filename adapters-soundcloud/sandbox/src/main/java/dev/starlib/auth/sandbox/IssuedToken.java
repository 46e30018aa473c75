package dev.starlib.auth.sandbox;

import java.time.Instant;
import java.util.Objects;

/** What an access or refresh token stands for. The token itself is only the key it is stored under. */
record IssuedToken(String clientId, long userId, Instant expiresAt) implements SandboxGrant {

    IssuedToken {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
