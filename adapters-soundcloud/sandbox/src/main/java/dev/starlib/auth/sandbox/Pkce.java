package dev.starlib.auth.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE S256 as the authorization server checks it (RFC 7636 §4.6). Written here on purpose rather than taken from
 * the domain: a stand-in that shares the client's PKCE code would agree with the client's bugs.
 */
final class Pkce {

    /** RFC 7636 §4.1 and §4.2: 43..128 unreserved characters, for verifiers and challenges alike. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private Pkce() {
    }

    static boolean isWellFormed(String verifierOrChallenge) {
        return verifierOrChallenge != null && WELL_FORMED.matcher(verifierOrChallenge).matches();
    }

    /** True when BASE64URL(SHA256(ASCII(verifier))) equals the challenge, compared in constant time. */
    static boolean verifierMatches(String verifier, String challenge) {
        if (!isWellFormed(verifier)) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            byte[] computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
                    .getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
