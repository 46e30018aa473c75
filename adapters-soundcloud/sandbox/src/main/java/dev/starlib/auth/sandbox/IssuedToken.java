package dev.starlib.auth.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * What an access or refresh token stands for. The token itself is only the key it is stored under; {@code session}
 * names the pair it was issued in, so that a sign-out ends the access token and the refresh token issued with it.
 */
record IssuedToken(String clientId, long userId, Instant expiresAt, String session) implements SandboxGrant {

    IssuedToken {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(session, "session");
    }
}
