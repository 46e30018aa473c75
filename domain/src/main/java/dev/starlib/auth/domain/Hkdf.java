package dev.starlib.auth.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), on the JDK's {@link Mac}: Java 21 has no HKDF of its own. It turns input
 * keying material that is already high in entropy (a SoundCloud refresh token) into a key. It is not a password
 * hash: it adds no work factor, so it protects nothing that could be guessed.
 */
public final class Hkdf {

    static final int HASH_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /** {@code OKM = HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** RFC 5869 §2.2. An empty salt stands for {@code HashLen} zero bytes, as the RFC says. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        Objects.requireNonNull(ikm, "ikm");
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_BYTES] : salt;
        return mac(key).doFinal(ikm);
    }

    /** RFC 5869 §2.3: {@code T(i) = HMAC(PRK, T(i-1) | info | i)}, the first {@code length} bytes of T(1) | T(2) | … */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        Objects.requireNonNull(prk, "prk");
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 yields 1.." + 255 * HASH_BYTES + " bytes");
        }
        byte[] context = info == null ? new byte[0] : info;
        Mac mac = mac(prk);
        byte[] okm = new byte[length];
        byte[] previous = new byte[0];
        int filled = 0;
        for (int i = 1; filled < length; i++) {
            mac.update(previous);
            mac.update(context);
            mac.update((byte) i);
            previous = mac.doFinal();
            int take = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, okm, filled, take);
            filled += take;
        }
        return okm;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must provide HmacSHA256", e);
        }
    }
}
