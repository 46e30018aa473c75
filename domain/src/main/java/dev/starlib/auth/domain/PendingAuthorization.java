package dev.starlib.auth.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A login that has been started and is waiting for SoundCloud to send the user back. It holds the PKCE
 * verifier that only this backend knows, and where to send the browser when the login is done.
 */
public record PendingAuthorization(
        StateHash key,
        String stateHint,
        CodeVerifier verifier,
        ReturnTo returnTo,
        Instant createdAt,
        Instant expiresAt,
        ClientKey client) {

    public PendingAuthorization {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stateHint, "stateHint");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(returnTo, "returnTo");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a pending authorization must expire after it was created");
        }
    }

    /** A login whose client is not known (stored before the service kept one). */
    public PendingAuthorization(StateHash key, String stateHint, CodeVerifier verifier, ReturnTo returnTo,
                                Instant createdAt, Instant expiresAt) {
        this(key, stateHint, verifier, returnTo, createdAt, expiresAt, ClientKey.UNKNOWN);
    }

    public static PendingAuthorization start(State state, CodeVerifier verifier, ReturnTo returnTo,
                                             Instant now, java.time.Duration ttl) {
        return start(state, verifier, returnTo, now, ttl, ClientKey.UNKNOWN);
    }

    /** @param client who asked for it: the login counts toward that client's pending quota */
    public static PendingAuthorization start(State state, CodeVerifier verifier, ReturnTo returnTo,
                                             Instant now, java.time.Duration ttl, ClientKey client) {
        return new PendingAuthorization(state.hash(), state.hint(), verifier, returnTo, now, now.plus(ttl), client);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "PendingAuthorization[state=" + stateHint + "…, returnTo=" + returnTo.origin()
                + ", expiresAt=" + expiresAt + "]";
    }
}
