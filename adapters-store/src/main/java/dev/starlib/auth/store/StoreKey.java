package dev.starlib.auth.store;

import dev.starlib.auth.domain.Hkdf;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** The AES-256 key that seals sessions at rest. Never printed; a parse error never repeats the value. */
public final class StoreKey {

    static final int BYTES = 32;

    private final byte[] bytes;

    private StoreKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads a key written as base64 (standard or URL-safe alphabet, padding optional) of exactly 32 bytes.
     *
     * @throws IllegalArgumentException whose message completes a sentence starting with the setting's name,
     *                                  e.g. "SESSION_STORE_KEY " + message, and holds nothing of the value
     */
    public static StoreKey fromBase64(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        byte[] decoded = decode(encoded.strip());
        if (decoded == null) {
            throw new IllegalArgumentException("is not base64; " + EXPECTED);
        }
        if (decoded.length != BYTES) {
            throw new IllegalArgumentException("decodes to " + decoded.length + " bytes, not " + BYTES + "; " + EXPECTED);
        }
        return new StoreKey(decoded);
    }

    private static final String EXPECTED = "expected base64 of 32 random bytes, such as the output of "
            + "'openssl rand -base64 32'";

    static StoreKey generate(SecureRandom random) {
        byte[] fresh = new byte[BYTES];
        random.nextBytes(fresh);
        return new StoreKey(fresh);
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * 32 bytes derived from this key for {@code purpose} (HKDF-SHA256, RFC 5869), for a secret every instance
     * sharing this key must agree on without a setting of its own (e.g. the key of client hashes with Redis).
     * Nothing about this key can be learnt from them.
     */
    public byte[] derive(String purpose) {
        Objects.requireNonNull(purpose, "purpose");
        return Hkdf.derive(new byte[0], bytes, ("starlib-auth " + purpose).getBytes(StandardCharsets.US_ASCII), BYTES);
    }

    SecretKey secretKey() {
        return new SecretKeySpec(bytes, "AES");
    }

    @Override
    public String toString() {
        return "StoreKey[redacted]";
    }

    private static byte[] decode(String text) {
        if (text.isEmpty()) {
            return null;
        }
        for (Base64.Decoder decoder : new Base64.Decoder[]{Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                return decoder.decode(text);
            } catch (IllegalArgumentException notThisAlphabet) {
                // try the next alphabet
            }
        }
        return null;
    }
}
