package dev.starlib.auth.domain;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * The OAuth {@code state}: 256 random bits, base64url. It binds SoundCloud's redirect to the login that
 * started it, and it is the frontend's handle for picking up the result, so it is a secret: only its
 * {@link #hint() first 8 characters} may be shown, and the store keys sessions by its {@link #hash() hash}.
 */
public record State(String value) {

    static final int RANDOM_BYTES = 32;
    static final int MIN_LENGTH = 22; // 128 bits in base64url
    static final int MAX_LENGTH = 128;
    private static final int HINT_LENGTH = 8;

    public State {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("state must be " + MIN_LENGTH + ".." + MAX_LENGTH
                    + " characters of [A-Za-z0-9-._~]");
        }
    }

    public static State generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new State(Secrets.base64Url(bytes));
    }

    /** Parses an untrusted value; empty when it cannot be a state this service issued. */
    public static Optional<State> parse(String raw) {
        return raw != null && isWellFormed(raw) ? Optional.of(new State(raw)) : Optional.empty();
    }

    private static boolean isWellFormed(String value) {
        return value.length() >= MIN_LENGTH && value.length() <= MAX_LENGTH && Secrets.isUnreserved(value);
    }

    public StateHash hash() {
        return StateHash.of(this);
    }

    /** The first 8 characters: enough for an operator to tell sessions apart, far too few to use one. */
    public String hint() {
        return value.substring(0, HINT_LENGTH);
    }

    @Override
    public String toString() {
        return "State[" + hint() + "…]";
    }
}
