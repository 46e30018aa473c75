package dev.starlib.auth.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Small helpers shared by the secret-bearing value types. */
public final class Secrets {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /**
     * Cloned for each hash: {@code getInstance} looks the provider up on every call, which cost about as much as
     * hashing a state or a verifier itself (two hashes per {@code /authorize}). Never used itself, so never shared.
     */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private Secrets() {
    }

    /** Compares two secrets in time that does not depend on where they first differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(String ascii) {
        return sha256().digest(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh SHA-256 digest of this caller's own. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose digest cannot be cloned: the look-up each time, as before
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** True when every character is printable US-ASCII (0x21..0x7E): no spaces, controls or non-ASCII. */
    static boolean isVisibleAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** True when every character is an RFC 3986 unreserved character: {@code [A-Za-z0-9-._~]}. */
    static boolean isUnreserved(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
