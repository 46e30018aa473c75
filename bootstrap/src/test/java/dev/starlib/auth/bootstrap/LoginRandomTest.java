package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;

import java.security.DrbgParameters;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LoginRandomTest {

    @Test
    void isADrbgOf256BitStrength() {
        SecureRandom random = LoginRandom.create();

        assertThat(random.getAlgorithm()).isEqualTo("DRBG");
        assertThat(random.getParameters()).isInstanceOfSatisfying(DrbgParameters.Instantiation.class,
                instantiation -> assertThat(instantiation.getStrength()).isGreaterThanOrEqualTo(256));
    }

    /** Each instance is seeded from the OS: two never start from the same point (a fixed seed would). */
    @Test
    void twoInstancesDrawDifferentBytes() {
        byte[] first = new byte[64];
        byte[] second = new byte[64];

        LoginRandom.create().nextBytes(first);
        LoginRandom.create().nextBytes(second);

        assertThat(first).isNotEqualTo(second);
        assertThat(first).isNotEqualTo(new byte[64]);
        assertThat(Arrays.equals(first, 0, 32, first, 32, 64)).isFalse();
    }
}
