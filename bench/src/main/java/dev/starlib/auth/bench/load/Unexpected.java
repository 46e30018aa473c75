package dev.starlib.auth.bench.load;

/** An answer the benchmark did not expect: counted as an error under this message (which never holds a secret). */
public final class Unexpected extends Exception {

    public Unexpected(String message) {
        super(message, null, false, false);
    }
}
