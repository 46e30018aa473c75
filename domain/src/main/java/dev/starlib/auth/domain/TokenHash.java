package dev.starlib.auth.domain;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SHA-256 of a SoundCloud token, lowercase hex: the name under which something about a token is kept (the
 * answer to a rotation, a sign-out), never the token. A SHA-256 of a token of SoundCloud's entropy cannot be
 * turned back into it.
 */
public record TokenHash(String hex) {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public TokenHash {
        Objects.requireNonNull(hex, "hex");
        if (!HEX_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a token hash is 64 lowercase hex digits");
        }
    }

    static TokenHash of(String token) {
        return new TokenHash(Secrets.hex(Secrets.sha256(token)));
    }

    /** The 32 bytes of the hash. */
    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }
}
