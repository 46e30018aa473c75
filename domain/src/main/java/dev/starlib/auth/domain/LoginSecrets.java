package dev.starlib.auth.domain;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The two secrets a login starts with: its {@link State} and its PKCE {@link CodeVerifier}, 256 random bits each.
 * Both come from one draw of 64 bytes, the first half for the state and the second for the verifier, so they share
 * no bits; one draw takes the random source's lock (and, for the OS's source, its read) once instead of twice.
 */
public record LoginSecrets(State state, CodeVerifier verifier) {

    static final int RANDOM_BYTES = State.RANDOM_BYTES + CodeVerifier.RANDOM_BYTES;

    public LoginSecrets {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(verifier, "verifier");
    }

    public static LoginSecrets generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        byte[] stateBytes = Arrays.copyOfRange(bytes, 0, State.RANDOM_BYTES);
        byte[] verifierBytes = Arrays.copyOfRange(bytes, State.RANDOM_BYTES, RANDOM_BYTES);
        Arrays.fill(bytes, (byte) 0);
        LoginSecrets secrets = new LoginSecrets(new State(Secrets.base64Url(stateBytes)),
                new CodeVerifier(Secrets.base64Url(verifierBytes)));
        Arrays.fill(stateBytes, (byte) 0);
        Arrays.fill(verifierBytes, (byte) 0);
        return secrets;
    }

    @Override
    public String toString() {
        return "LoginSecrets[state=" + state + ", verifier=" + verifier + "]";
    }
}
