package dev.starlib.auth.store;

import java.util.Arrays;

/**
 * Log records waiting for the next group commit, back to back in one growable array, so that a sync writes them
 * with one call. Not thread-safe: {@link FileSessionStore} guards it.
 */
final class RecordBuffer {

    private static final int INITIAL_BYTES = 64 * 1024;
    /** A burst (a purge of many sessions) may grow it; it shrinks back once written, so it holds no memory idle. */
    private static final int KEPT_BYTES = 1 << 20;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int length;

    void add(byte[] record) {
        if (length + record.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + record.length));
        }
        System.arraycopy(record, 0, bytes, length, record.length);
        length += record.length;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
    }
}
