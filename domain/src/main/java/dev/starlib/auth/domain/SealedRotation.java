package dev.starlib.auth.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Rotation} sealed by {@link RotationSeal} under the refresh token it rotated: bytes that only a holder
 * of that token can open. Stores keep and copy these bytes and never look inside.
 */
public final class SealedRotation {

    private final byte[] bytes;

    private SealedRotation(byte[] bytes) {
        this.bytes = bytes;
    }

    /** What a store read back; whether it opens is for {@link RotationSeal#open} to say. */
    public static SealedRotation of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a sealed rotation is never empty");
        }
        return new SealedRotation(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedRotation sealed && Arrays.equals(bytes, sealed.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SealedRotation[" + bytes.length + " bytes]";
    }
}
