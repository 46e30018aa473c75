package dev.starlib.auth.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The random source of every login's state and PKCE verifier: the JDK's {@code DRBG} (Hash_DRBG over SHA-256,
 * NIST SP 800-90A) at 256-bit security strength, seeded from the operating system's entropy when it is made.
 * It is thread-safe and, unlike the default {@code NativePRNG}, does not read the OS source under one global lock
 * on every draw: about half the CPU per login's 64 bytes. Decision 0014 says what that trades.
 */
final class LoginRandom {

    static final int STRENGTH_BITS = 256;
    private static final byte[] PERSONALIZATION = "starlib-auth login secrets".getBytes(StandardCharsets.US_ASCII);

    private LoginRandom() {
    }

    static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(STRENGTH_BITS,
                    DrbgParameters.Capability.RESEED_ONLY, PERSONALIZATION));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no DRBG of " + STRENGTH_BITS + "-bit strength", e);
        }
    }
}
