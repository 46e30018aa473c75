package dev.starlib.auth.domain;

/** What an opaque bearer credential may look like (RFC 6750 b64token is a subset of this). */
final class TokenRules {

    static final int MAX_LENGTH = 4096;

    private TokenRules() {
    }

    static boolean isWellFormed(String value) {
        return !value.isEmpty() && value.length() <= MAX_LENGTH && Secrets.isVisibleAscii(value);
    }
}
