package dev.starlib.auth.domain;

import java.util.Objects;

/** SHA-256 of a {@link State}, lowercase hex: the key under which a session is stored. */
public record StateHash(String hex) {

    public StateHash {
        Objects.requireNonNull(hex, "hex");
        if (!isLowercaseHex64(hex)) {
            throw new IllegalArgumentException("a state hash is 64 lowercase hex digits");
        }
    }

    /** {@code [0-9a-f]{64}}, checked without a regex: each stored or looked-up session passes here. */
    private static boolean isLowercaseHex64(String hex) {
        if (hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static StateHash of(State state) {
        return new StateHash(Secrets.hex(Secrets.sha256(state.value())));
    }
}
