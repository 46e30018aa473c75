package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PkceTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void s256ChallengeMatchesTheRfc7636AppendixBVector() {
        CodeVerifier verifier = new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        CodeChallenge challenge = verifier.challenge();

        assertThat(challenge.value()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(challenge.method()).isEqualTo("S256");
        assertThat(CodeChallenge.s256(verifier)).isEqualTo(challenge);
    }

    /** Many threads hash at once, each getting the RFC's answer: fails if one digest were shared between calls. */
    @Test
    void challengesComputedOnManyThreadsAtOnceAreEachTheRfcAnswer() throws Exception {
        CodeVerifier verifier = new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        CodeVerifier other = new CodeVerifier("a".repeat(128));
        String otherChallenge = other.challenge().value();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var results = IntStream.range(0, 64).mapToObj(i -> pool.submit(() -> {
                for (int n = 0; n < 500; n++) {
                    boolean even = (n + i) % 2 == 0;
                    String expected = even ? "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" : otherChallenge;
                    if (!(even ? verifier : other).challenge().value().equals(expected)) {
                        return false;
                    }
                }
                return true;
            })).toList();
            for (var result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void generatedVerifiersAre43UnreservedCharacters() {
        for (int i = 0; i < 200; i++) {
            assertThat(CodeVerifier.generate(RANDOM).value()).matches("[A-Za-z0-9._~-]{43}");
        }
    }

    @Test
    void generatedVerifiersDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            seen.add(CodeVerifier.generate(RANDOM).value());
        }
        assertThat(seen).hasSize(2_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {43, 128})
    void verifierOfBoundaryLengthIsAccepted(int length) {
        String value = "a".repeat(length);
        assertThat(new CodeVerifier(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 42, 129, 500})
    void verifierOutsideTheLengthBoundsIsRefused(int length) {
        assertThatThrownBy(() -> new CodeVerifier("a".repeat(length)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifierUsingEveryUnreservedCharacterIsAccepted() {
        String value = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        assertThat(new CodeVerifier(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "/", "=", " ", "%", "&", "\u0000", "\n", "é", "\uFF41"})
    void verifierWithAnIllegalCharacterIsRefused(String illegal) {
        String value = "a".repeat(42) + illegal;
        assertThatThrownBy(() -> new CodeVerifier(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullVerifierIsRefused() {
        assertThatThrownBy(() -> new CodeVerifier(null)).isInstanceOf(NullPointerException.class);
    }
}
