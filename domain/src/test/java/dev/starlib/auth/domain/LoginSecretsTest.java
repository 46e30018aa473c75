package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoginSecretsTest {

    @Test
    void stateAndVerifierAreEach256BitsOfOneDrawWithNoByteShared() {
        AtomicInteger draws = new AtomicInteger();
        SecureRandom counting = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                draws.incrementAndGet();
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
        byte[] expected = new byte[64];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

        LoginSecrets secrets = LoginSecrets.generate(counting);

        assertThat(draws).hasValue(1);
        assertThat(secrets.state().value()).isEqualTo(base64Url.encodeToString(Arrays.copyOfRange(expected, 0, 32)));
        assertThat(secrets.verifier().value()).isEqualTo(base64Url.encodeToString(Arrays.copyOfRange(expected, 32, 64)));
    }

    @Test
    void freshSecretsAreWellFormedAndNeverRepeat() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            LoginSecrets secrets = LoginSecrets.generate(random);
            assertThat(secrets.state().value()).matches("[A-Za-z0-9_-]{43}");
            assertThat(secrets.verifier().value()).matches("[A-Za-z0-9_-]{43}");
            seen.add(secrets.state().value());
            seen.add(secrets.verifier().value());
        }
        assertThat(seen).hasSize(4_000);
    }

    @Test
    void toStringShowsNeitherSecret() {
        LoginSecrets secrets = LoginSecrets.generate(new SecureRandom());

        assertThat(secrets.toString())
                .doesNotContain(secrets.state().value())
                .doesNotContain(secrets.verifier().value())
                .contains(secrets.state().hint());
    }
}
