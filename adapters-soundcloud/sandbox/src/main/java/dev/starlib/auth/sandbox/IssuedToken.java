package dev.starlib.auth.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * What an access or refresh token stands for. The token itself is only the key it is stored under; {@code session}
 * names the pair it was issued in, so that a sign-out ends the access token and the refresh token issued with it. A
 * token of the app itself (client credentials) stands for no user: {@link #APP}.
 */
record IssuedToken(String clientId, long userId, Instant expiresAt, String session) implements SandboxGrant {

    /** The user id of an app token: no user has it. */
    static final long APP = 0;

    IssuedToken {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(session, "session");
    }
}
