package dev.starlib.auth.domain;

import java.util.Objects;

/** PKCE S256 code challenge: BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
public record CodeChallenge(String value) {

    public static final String METHOD = "S256";

    public CodeChallenge {
        Objects.requireNonNull(value, "value");
    }

    public static CodeChallenge s256(CodeVerifier verifier) {
        return new CodeChallenge(Secrets.base64Url(Secrets.sha256(verifier.value())));
    }

    public String method() {
        return METHOD;
    }
}
