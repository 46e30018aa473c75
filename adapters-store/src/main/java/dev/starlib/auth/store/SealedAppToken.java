package dev.starlib.auth.store;

import dev.starlib.auth.domain.AppTokenState;

import java.util.Objects;

/**
 * The app token's state sealed on its own, for a store that keeps it as a value of its own (Redis): the file store's
 * encoding ({@link AppTokenCodec}) under AES-256-GCM with the store key ({@link Seals}), tagged so that neither a
 * session nor a rotation's answer opens as an app token, nor the other way round. Thread-safe.
 */
public final class SealedAppToken {

    private static final byte[] NAME = {};

    private final Seals seals;

    public SealedAppToken(StoreKey key) {
        this.seals = new Seals(Objects.requireNonNull(key, "key"), "starlib-app-token:");
    }

    public byte[] seal(AppTokenState state) {
        return seals.seal(NAME, AppTokenCodec.encode(Objects.requireNonNull(state, "state")));
    }

    /** @throws SealedSessions.Unreadable when it was sealed under another store key, or altered */
    public AppTokenState open(byte[] sealed) throws SealedSessions.Unreadable {
        byte[] plaintext = seals.open(NAME, sealed, "app token");
        try {
            return AppTokenCodec.decode(plaintext);
        } catch (IllegalArgumentException e) {
            throw new SealedSessions.Unreadable("opened, but not an app token this version can read");
        }
    }

    @Override
    public String toString() {
        return "SealedAppToken[AES-256-GCM]";
    }
}
