package dev.starlib.auth.http.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proves that a POST came from a dashboard this process rendered. A browser sends Basic credentials with any
 * request to the admin origin, a forged cross-site form included; a forger cannot read the page, so cannot
 * know this random value. One per process: a restart makes old forms stale, which is harmless.
 */
final class CsrfToken {

    private final String value;

    private CsrfToken(String value) {
        this.value = value;
    }

    static CsrfToken random(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new CsrfToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    String value() {
        return value;
    }

    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "CsrfToken[<hidden>]";
    }
}
