package dev.starlib.auth.store;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The layout every value sealed on its own shares (for a store that keeps each as a value of its own: Redis):
 * {@code format(1) || nonce(12) || ciphertext || tag(16)}, sealed with {@link Sealer} under the store key, with a
 * purpose tag, the format and the value's own name (a state hash, a token hash) as associated data, so that a value
 * copied under another name, or into another role, does not open. Every seal draws a fresh random nonce, so no two
 * seals are equal: a store may compare sealed bytes to tell one write from another.
 */
final class Seals {

    private static final byte FORMAT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreKey key;
    private final byte[] purpose;

    Seals(StoreKey key, String purpose) {
        this.key = key;
        this.purpose = purpose.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] seal(byte[] name, byte[] plaintext) {
        byte[] associated = associated(name);
        byte[] sealed = new byte[1 + Sealer.OVERHEAD + plaintext.length];
        sealed[0] = FORMAT;
        new Sealer(key, RANDOM).seal(associated, associated.length, plaintext, sealed, 1);
        return sealed;
    }

    /**
     * The plaintext sealed in {@code sealed} under {@code name}.
     *
     * @throws SealedSessions.Unreadable when it was sealed under another store key, name or purpose, or altered
     */
    byte[] open(byte[] name, byte[] sealed, String what) throws SealedSessions.Unreadable {
        if (sealed.length < 1 + Sealer.OVERHEAD || sealed[0] != FORMAT) {
            throw new SealedSessions.Unreadable("not a sealed " + what);
        }
        byte[] associated = associated(name);
        try {
            return new Sealer(key, RANDOM).open(associated, 0, associated.length, sealed, 1, sealed.length - 1);
        } catch (AEADBadTagException e) {
            throw new SealedSessions.Unreadable("sealed under another key (was SESSION_STORE_KEY changed?), or altered");
        }
    }

    private byte[] associated(byte[] name) {
        byte[] associated = new byte[purpose.length + 1 + name.length];
        System.arraycopy(purpose, 0, associated, 0, purpose.length);
        associated[purpose.length] = FORMAT;
        System.arraycopy(name, 0, associated, purpose.length + 1, name.length);
        return associated;
    }
}
