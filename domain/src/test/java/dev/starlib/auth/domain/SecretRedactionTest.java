package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Secret-bearing values must be safe to log by accident: their toString never carries the secret. */
class SecretRedactionTest {

    private static final String STATE = "STATEsecretSTATEsecretSTATEsecretSTATEsecre";
    private static final String VERIFIER = "VERIFIERsecretVERIFIERsecretVERIFIERsecretV";
    private static final String CODE = "CODEsecret-0123456789";
    private static final String ACCESS = "ACCESSsecret-0123456789";
    private static final String REFRESH = "REFRESHsecret-0123456789";
    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

    private static Tokens tokens() {
        return new Tokens(new AccessToken(ACCESS), new RefreshToken(REFRESH), Duration.ofHours(1));
    }

    @Test
    void stateShowsOnlyItsHint() {
        State state = new State(STATE);
        assertThat(state.toString()).doesNotContain(STATE).contains(state.hint());
    }

    @Test
    void codeVerifierIsRedacted() {
        assertThat(new CodeVerifier(VERIFIER).toString()).doesNotContain(VERIFIER);
    }

    @Test
    void authorizationCodeIsRedacted() {
        assertThat(new AuthorizationCode(CODE).toString()).doesNotContain(CODE);
    }

    @Test
    void accessTokenIsRedacted() {
        assertThat(new AccessToken(ACCESS).toString()).doesNotContain(ACCESS);
    }

    @Test
    void refreshTokenIsRedacted() {
        assertThat(new RefreshToken(REFRESH).toString()).doesNotContain(REFRESH);
    }

    @Test
    void tokensShowNeitherToken() {
        assertThat(tokens().toString()).doesNotContain(ACCESS).doesNotContain(REFRESH);
    }

    @Test
    void succeededOutcomeShowsNeitherTokenNorPersonalData() {
        LoginOutcome outcome = new LoginOutcome.Succeeded(tokens(),
                new SoundCloudUser(42, "someUserName", "some-permalink", "https://i1.sndcdn.com/avatar.jpg"));

        assertThat(outcome.toString()).doesNotContain(ACCESS).doesNotContain(REFRESH)
                .doesNotContain("someUserName").doesNotContain("avatar.jpg");
    }

    @Test
    void pendingAuthorizationShowsNeitherStateNorVerifier() {
        State state = new State(STATE);
        ReturnTo returnTo = new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback?session=xyz"));
        PendingAuthorization pending = PendingAuthorization.start(state, new CodeVerifier(VERIFIER), returnTo,
                NOW, Duration.ofMinutes(10));

        assertThat(pending.toString()).doesNotContain(STATE).doesNotContain(VERIFIER).contains(state.hint());
    }

    @Test
    void finishedLoginShowsNeitherStateNorTokens() {
        State state = new State(STATE);
        FinishedLogin finished = new FinishedLogin(state.hash(), state.hint(),
                new LoginOutcome.Succeeded(tokens(), new SoundCloudUser(42, "someUserName", null, null)),
                NOW, NOW.plusSeconds(300));

        assertThat(finished.toString()).doesNotContain(STATE).doesNotContain(ACCESS).doesNotContain(REFRESH)
                .doesNotContain("someUserName");
    }

    @Test
    void appTokensShowNeitherToken() {
        AppTokenGrant grant = new AppTokenGrant(new AccessToken(ACCESS), java.util.Optional.of(new RefreshToken(REFRESH)),
                Duration.ofHours(1));
        AppToken token = AppToken.of(grant, NOW, AppToken.Source.GRANT);
        AppTokenState state = AppTokenState.empty(CredentialsFingerprint.of("client", "secret")).renewed(token);

        for (Object value : new Object[] {grant, token, state}) {
            assertThat(value.toString()).doesNotContain(ACCESS).doesNotContain(REFRESH).doesNotContain("secret");
        }
    }
}
