package dev.starlib.auth.domain;

import java.security.SecureRandom;
import java.util.Objects;

/** PKCE code verifier (RFC 7636 §4.1): 43..128 unreserved characters; ours carry 256 random bits. */
public record CodeVerifier(String value) {

    public static final int MIN_LENGTH = 43;
    public static final int MAX_LENGTH = 128;
    static final int RANDOM_BYTES = 32;

    public CodeVerifier {
        Objects.requireNonNull(value, "value");
        if (value.length() < MIN_LENGTH || value.length() > MAX_LENGTH || !Secrets.isUnreserved(value)) {
            throw new IllegalArgumentException("a code verifier is 43..128 characters of [A-Za-z0-9-._~]");
        }
    }

    public static CodeVerifier generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new CodeVerifier(Secrets.base64Url(bytes));
    }

    public CodeChallenge challenge() {
        return CodeChallenge.s256(this);
    }

    @Override
    public String toString() {
        return "CodeVerifier[redacted]";
    }
}
