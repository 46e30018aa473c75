package dev.starlib.auth.bench.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE's S256 check (RFC 7636 §4.1, §4.2, §4.6), written here from the RFC on purpose: a fake that borrowed the
 * service's own PKCE code would agree with that code's bugs.
 */
final class S256 {

    /** §4.1: 43..128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** BASE64URL(SHA-256(...)) without padding is always 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private S256() {
    }

    static boolean isChallenge(String value) {
        return value != null && CHALLENGE.matcher(value).matches();
    }

    /** §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time. */
    static boolean verifies(String verifier, String challenge) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches() || !isChallenge(challenge)) {
            return false;
        }
        byte[] digest = sha256().digest(verifier.getBytes(StandardCharsets.US_ASCII));
        byte[] computed = Base64.getUrlEncoder().withoutPadding().encode(digest);
        return MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
