package dev.starlib.auth.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The key the backend's own services present to the internal API ({@code INTERNAL_API_TOKEN}), as
 * {@code Authorization: Bearer <key>}. Only its SHA-256 is kept, and a presented key is compared digest to digest
 * with {@link MessageDigest#isEqual}, so neither its length nor where it differs shows in the time an answer takes.
 */
public final class InternalApiKey {

    private static final String SCHEME = "bearer ";
    /** Far more than any key needs; a longer header is not worth hashing. */
    private static final int MAX_HEADER_LENGTH = 1024;

    private final byte[] digest;

    private InternalApiKey(byte[] digest) {
        this.digest = digest;
    }

    /** @throws IllegalArgumentException for a blank key (bootstrap refuses weak ones before this) */
    public static InternalApiKey of(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("the internal API key must not be blank");
        }
        return new InternalApiKey(sha256(key));
    }

    /** What an {@code Authorization} header says, measured against this key. */
    enum Presented {
        /** No header, another scheme, or no token after the scheme. */
        NONE,
        WRONG,
        RIGHT
    }

    Presented check(Optional<String> authorization) {
        if (authorization.isEmpty() || authorization.get().length() > MAX_HEADER_LENGTH) {
            return authorization.isEmpty() ? Presented.NONE : Presented.WRONG;
        }
        String header = authorization.get().strip();
        // Auth schemes are case-insensitive (RFC 9110 §11.1).
        if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return Presented.NONE;
        }
        String token = header.substring(SCHEME.length()).strip();
        if (token.isEmpty()) {
            return Presented.NONE;
        }
        return MessageDigest.isEqual(digest, sha256(token)) ? Presented.RIGHT : Presented.WRONG;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "InternalApiKey[redacted]";
    }
}
