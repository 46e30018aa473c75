package dev.starlib.auth.sandbox;

import java.security.SecureRandom;
import java.util.Base64;

/** Everything one sandbox instance has handed out, and the source of fresh secrets. */
final class SandboxGrants {

    static final int DEFAULT_CAPACITY = 10_000;

    final ExpiringGrants<PendingConsent> pendingConsents;
    final ExpiringGrants<IssuedCode> codes;
    final ExpiringGrants<IssuedToken> accessTokens;
    final ExpiringGrants<IssuedToken> refreshTokens;
    private final SecureRandom random;

    SandboxGrants(int capacity, SecureRandom random) {
        this.pendingConsents = new ExpiringGrants<>(capacity);
        this.codes = new ExpiringGrants<>(capacity);
        this.accessTokens = new ExpiringGrants<>(capacity);
        this.refreshTokens = new ExpiringGrants<>(capacity);
        this.random = random;
    }

    /** 256 random bits, base64url: unguessable and safe in a URL, a form field and a header. */
    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
