package dev.starlib.auth.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/** SHA-256 of a {@link State}, lowercase hex: the key under which a session is stored. */
public record StateHash(String hex) {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public StateHash {
        Objects.requireNonNull(hex, "hex");
        if (!HEX_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a state hash is 64 lowercase hex digits");
        }
    }

    static StateHash of(State state) {
        return new StateHash(Secrets.hex(Secrets.sha256(state.value())));
    }
}
