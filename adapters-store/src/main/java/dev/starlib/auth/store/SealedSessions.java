package dev.starlib.auth.store;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One session sealed on its own, for a store that keeps each session as a value of its own (Redis): the file
 * store's AES-256-GCM ({@link Sealer}) over the file store's encoding ({@link SessionCodec}), with the state hash
 * as the associated data, so a value copied under another key does not open. Every seal draws a fresh random
 * nonce, so no two seals of anything are equal: a store may compare sealed bytes to tell one write from another.
 * <p>
 * Layout: {@code format(1) || nonce(12) || ciphertext || tag(16)}. Thread-safe: each call uses its own cipher.
 */
public final class SealedSessions {

    private static final byte FORMAT = 1;
    private static final byte[] PURPOSE = "starlib-session:".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreKey key;

    public SealedSessions(StoreKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** @throws IllegalArgumentException for an ended session: those are never kept */
    public byte[] seal(OAuthSession session) {
        byte[] plaintext = SessionCodec.encode(session);
        byte[] associated = associated(session.key());
        byte[] sealed = new byte[1 + Sealer.OVERHEAD + plaintext.length];
        sealed[0] = FORMAT;
        new Sealer(key, RANDOM).seal(associated, associated.length, plaintext, sealed, 1);
        return sealed;
    }

    /**
     * The session sealed in {@code sealed} under {@code key}.
     *
     * @throws Unreadable when it was sealed under another store key or another state hash, or was altered
     */
    public OAuthSession open(StateHash key, byte[] sealed) throws Unreadable {
        Objects.requireNonNull(key, "key");
        if (sealed.length < 1 + Sealer.OVERHEAD || sealed[0] != FORMAT) {
            throw new Unreadable("not a sealed session");
        }
        byte[] associated = associated(key);
        try {
            byte[] plaintext = new Sealer(this.key, RANDOM).open(associated, 0, associated.length, sealed, 1,
                    sealed.length - 1);
            return SessionCodec.decode(key, plaintext);
        } catch (AEADBadTagException e) {
            throw new Unreadable("sealed under another key (was SESSION_STORE_KEY changed?), or altered");
        } catch (IllegalArgumentException e) {
            throw new Unreadable("opened, but not a session this version can read");
        }
    }

    @Override
    public String toString() {
        return "SealedSessions[AES-256-GCM]";
    }

    private static byte[] associated(StateHash key) {
        byte[] hash = HexFormat.of().parseHex(key.hex());
        byte[] associated = new byte[PURPOSE.length + 1 + hash.length];
        System.arraycopy(PURPOSE, 0, associated, 0, PURPOSE.length);
        associated[PURPOSE.length] = FORMAT;
        System.arraycopy(hash, 0, associated, PURPOSE.length + 1, hash.length);
        return associated;
    }

    /** A sealed value that cannot be turned back into a session; the message names no secret. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }
}
