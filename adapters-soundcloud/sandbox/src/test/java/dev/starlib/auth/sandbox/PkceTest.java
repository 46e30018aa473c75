package dev.starlib.auth.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PkceTest {

    /** RFC 7636 Appendix B. */
    private static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void theRfcExampleVerifierMatchesItsChallenge() {
        assertThat(Pkce.verifierMatches(RFC_VERIFIER, RFC_CHALLENGE)).isTrue();
    }

    @Test
    void anotherVerifierDoesNotMatch() {
        assertThat(Pkce.verifierMatches(RFC_VERIFIER.replace('d', 'e'), RFC_CHALLENGE)).isFalse();
    }

    @Test
    void thePlainMethodIsNotAccepted() {
        assertThat(Pkce.verifierMatches(RFC_CHALLENGE, RFC_CHALLENGE)).isFalse();
    }

    @Test
    void aMalformedVerifierNeverMatches() {
        assertThat(Pkce.verifierMatches("short", PkcePair.s256("short"))).isFalse();
        String withSpace = "a".repeat(42) + " ";
        assertThat(Pkce.verifierMatches(withSpace, PkcePair.s256(withSpace))).isFalse();
        assertThat(Pkce.verifierMatches("a".repeat(129), PkcePair.s256("a".repeat(129)))).isFalse();
    }
}
