package dev.starlib.auth.sandbox;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/** An authorization code: single-use, short-lived, bound to the client, the redirect URI and the PKCE challenge. */
record IssuedCode(String clientId, URI redirectUri, String codeChallenge, long userId, Instant expiresAt)
        implements SandboxGrant {

    IssuedCode {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedCode[clientId=" + clientId + ", userId=" + userId + ", expiresAt=" + expiresAt + "]";
    }
}
