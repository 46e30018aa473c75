package dev.starlib.auth.sandbox;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/** An {@code /authorize} request whose client, redirect URI, response type and PKCE challenge have been checked. */
record AuthorizationRequest(String clientId, URI redirectUri, Optional<String> state, String codeChallenge) {

    AuthorizationRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[clientId=" + clientId + ", state=redacted, codeChallenge=redacted]";
    }
}
