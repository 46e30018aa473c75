package dev.starlib.auth.store;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One session sealed on its own, for a store that keeps each session as a value of its own (Redis): the file
 * store's AES-256-GCM ({@link Sealer}) over the file store's encoding ({@link SessionCodec}), with the state hash
 * as the associated data, so a value copied under another key does not open. Every seal draws a fresh random
 * nonce, so no two seals of anything are equal: a store may compare sealed bytes to tell one write from another.
 * <p>
 * Layout: {@code format(1) || nonce(12) || ciphertext || tag(16)} ({@link Seals}). Thread-safe: each call uses its
 * own cipher.
 */
public final class SealedSessions {

    private final Seals seals;

    public SealedSessions(StoreKey key) {
        this.seals = new Seals(Objects.requireNonNull(key, "key"), "starlib-session:");
    }

    /** @throws IllegalArgumentException for an ended session: those are never kept */
    public byte[] seal(OAuthSession session) {
        return seals.seal(name(session.key()), SessionCodec.encode(session));
    }

    /**
     * The session sealed in {@code sealed} under {@code key}.
     *
     * @throws Unreadable when it was sealed under another store key or another state hash, or was altered
     */
    public OAuthSession open(StateHash key, byte[] sealed) throws Unreadable {
        Objects.requireNonNull(key, "key");
        byte[] plaintext = seals.open(name(key), sealed, "session");
        try {
            return SessionCodec.decode(key, plaintext);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("opened, but not a session this version can read");
        }
    }

    @Override
    public String toString() {
        return "SealedSessions[AES-256-GCM]";
    }

    private static byte[] name(StateHash key) {
        return HexFormat.of().parseHex(key.hex());
    }

    /** A sealed value that cannot be turned back into what was sealed; the message names no secret. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }
}
