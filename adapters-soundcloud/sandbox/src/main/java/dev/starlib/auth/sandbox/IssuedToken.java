package dev.starlib.auth.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * What an access or refresh token stands for. The token itself is only the key it is stored under. A token of the app
 * itself (client credentials) stands for no user: {@link #APP}.
 */
record IssuedToken(String clientId, long userId, Instant expiresAt) implements SandboxGrant {

    /** The user id of an app token: no user has it. */
    static final long APP = 0;

    IssuedToken {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
