package dev.starlib.auth.store;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM: a fresh random 96-bit nonce per record, stored in front of the ciphertext, and the record's
 * header as associated data, so a body cannot be moved under another key or kind. Not thread-safe.
 */
final class Sealer {

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;

    private final SecretKey key;
    private final SecureRandom random;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_BYTES];

    Sealer(StoreKey key, SecureRandom random) {
        this.key = key.secretKey();
        this.random = random;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must provide AES/GCM/NoPadding", e);
        }
    }

    /** {@code nonce || ciphertext || tag}, written into {@code out} at {@code offset}. */
    void seal(byte[] associated, int associatedLength, byte[] plaintext, byte[] out, int offset) {
        seal(associated, associatedLength, plaintext, plaintext.length, out, offset);
    }

    /** As {@link #seal(byte[], int, byte[], byte[], int)}, for {@code plaintext[0, plaintextLength)}. */
    void seal(byte[] associated, int associatedLength, byte[] plaintext, int plaintextLength, byte[] out, int offset) {
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, offset, NONCE_BYTES);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associated, 0, associatedLength);
            cipher.doFinal(plaintext, 0, plaintextLength, out, offset + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with AES-GCM failed", e);
        }
    }

    /**
     * The plaintext of {@code sealed[offset, offset + length)}.
     *
     * @throws AEADBadTagException when the body was sealed under another key, or with other associated data,
     *                             or has been altered
     */
    byte[] open(byte[] associated, int associatedOffset, int associatedLength, byte[] sealed, int offset, int length)
            throws AEADBadTagException {
        byte[] plaintext = new byte[length - OVERHEAD];
        open(associated, associatedOffset, associatedLength, sealed, offset, length, plaintext);
        return plaintext;
    }

    /**
     * As {@link #open(byte[], int, int, byte[], int, int)}, into the start of {@code into} (at least
     * {@code length - OVERHEAD} bytes), for a reader that opens a million records one after another.
     *
     * @return how many bytes of {@code into} the plaintext took
     */
    int open(byte[] associated, int associatedOffset, int associatedLength, byte[] sealed, int offset, int length,
             byte[] into) throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, offset, NONCE_BYTES));
            cipher.updateAAD(associated, associatedOffset, associatedLength);
            return cipher.doFinal(sealed, offset + NONCE_BYTES, length - NONCE_BYTES, into, 0);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening with AES-GCM failed", e);
        }
    }
}
