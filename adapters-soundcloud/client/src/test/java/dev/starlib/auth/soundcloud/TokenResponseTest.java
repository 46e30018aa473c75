package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The token answer's fields, one by one, without HTTP in the way. */
class TokenResponseTest {

    private static final RefreshToken PRESENTED = new RefreshToken("presented");
    private static final UpstreamResult<Tokens> UNREADABLE = new UpstreamResult.Unavailable<>("unreadable token response");

    private static UpstreamResult<Tokens> refresh(String json) {
        return TokenResponse.ofRefresh(json.getBytes(StandardCharsets.UTF_8), PRESENTED);
    }

    private static String withExpiresIn(String expiresIn) {
        return "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":" + expiresIn + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "3600.0", "1e3", "\"\"", "\"-5\"", "\"0\"", "\"36OO\"", "\" 3600\"",
            "\"3600s\"", "\"99999999999999999999\"", "99999999999999999999", "null", "true", "[3600]", "{}"})
    void expiresInThatIsNotAPositiveWholeNumberIsUnreadable(String expiresIn) {
        assertThat(refresh(withExpiresIn(expiresIn))).isEqualTo(UNREADABLE);
    }

    @Test
    void missingExpiresInIsUnreadable() {
        assertThat(refresh("{\"access_token\":\"a\",\"refresh_token\":\"r\"}")).isEqualTo(UNREADABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3600", "\"3600\"", "\"000060\""})
    void expiresInAsNumberOrDigitsIsRead(String expiresIn) {
        assertThat(refresh(withExpiresIn(expiresIn))).isInstanceOf(UpstreamResult.Success.class);
    }

    @Test
    void nullRefreshTokenKeepsThePresentedOne() {
        assertThat(refresh("{\"access_token\":\"a\",\"refresh_token\":null,\"expires_in\":60}"))
                .isEqualTo(new UpstreamResult.Success<>(new Tokens(
                        new dev.starlib.auth.domain.AccessToken("a"), PRESENTED, Duration.ofSeconds(60))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"access_token\":\"\",\"refresh_token\":\"r\",\"expires_in\":60}",
            "{\"access_token\":\"has space\",\"refresh_token\":\"r\",\"expires_in\":60}",
            "{\"access_token\":null,\"refresh_token\":\"r\",\"expires_in\":60}",
            "{\"access_token\":[\"a\"],\"refresh_token\":\"r\",\"expires_in\":60}",
            "{\"access_token\":\"a\",\"refresh_token\":\"\",\"expires_in\":60}",
            "{\"access_token\":\"a\",\"refresh_token\":{\"value\":\"r\"},\"expires_in\":60}",
            "{\"access_token\":\"a\",\"access_token\":\"b\",\"refresh_token\":\"r\",\"expires_in\":60}",
            "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":60} trailing",
            "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":60}{}",
            "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":60"})
    void tokenAnswerThatCannotBeTrustedIsUnreadable(String json) {
        assertThat(refresh(json)).isEqualTo(UNREADABLE);
    }

    @Test
    void oversizedAccessTokenIsUnreadable() {
        assertThat(refresh("{\"access_token\":\"" + "a".repeat(5000) + "\",\"expires_in\":60}")).isEqualTo(UNREADABLE);
    }
}
