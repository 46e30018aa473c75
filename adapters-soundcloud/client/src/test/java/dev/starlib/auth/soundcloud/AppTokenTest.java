package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AppTokenGrant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_ID;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_SECRET;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.PRESENTED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.REDIRECT_URI;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.TOKEN_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The app's own token: the client-credentials grant in HTTP Basic, its refresh, and SoundCloud's 429s. */
class AppTokenTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();
    private final SoundCloudClient client =
            new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)), events);

    private static AppTokenGrant granted(UpstreamResult<AppTokenGrant> result) {
        assertThat(result).isInstanceOf(UpstreamResult.Success.class);
        return ((UpstreamResult.Success<AppTokenGrant>) result).value();
    }

    @Test
    void theGrantAuthenticatesTheClientWithBasicAndSendsOnlyTheGrantType() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(okJson(TOKEN_JSON)));

        client.grantAppToken();

        LoggedRequest request = FakeSoundCloud.received(soundCloud, Call.APP_TOKEN_GRANT).getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials");
        String basic = request.getHeader("Authorization");
        assertThat(basic).startsWith("Basic ");
        // RFC 6749 §2.3.1: each part form-encoded before base64, so a ':' in the secret cannot split it wrong.
        String pair = new String(Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        assertThat(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8)).isEqualTo(CLIENT_ID);
        assertThat(URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)).isEqualTo(CLIENT_SECRET);
    }

    @Test
    void aGrantWithARefreshTokenKeepsItForTheNextRenewal() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(okJson(TOKEN_JSON)));

        AppTokenGrant grant = granted(client.grantAppToken());

        assertThat(grant.accessToken().value()).isEqualTo(ISSUED_ACCESS);
        assertThat(grant.refreshToken()).hasValueSatisfying(token -> assertThat(token.value()).isEqualTo(ISSUED_REFRESH));
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(events.upstreamCalls).singleElement().satisfies(call -> {
            assertThat(call.endpoint()).isEqualTo(UpstreamEndpoint.APP_TOKEN_GRANT);
            assertThat(call.outcome()).isEqualTo("success");
        });
    }

    @Test
    void aGrantWithoutARefreshTokenIsStillAToken() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(okJson("""
                {"access_token":"app-only","token_type":"bearer","expires_in":3600,"scope":""}""")));

        AppTokenGrant grant = granted(client.grantAppToken());

        assertThat(grant.accessToken().value()).isEqualTo("app-only");
        assertThat(grant.refreshToken()).isEmpty();
    }

    @Test
    void aGrantWithoutALifetimeIsUnreadable() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(okJson("""
                {"access_token":"app-only","token_type":"bearer"}""")));

        assertThat(client.grantAppToken()).isEqualTo(new UpstreamResult.Unavailable<>("unreadable token response"));
    }

    @Test
    void wrongCredentialsAreInvalidClient() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));

        UpstreamResult<AppTokenGrant> result = client.grantAppToken();

        assertThat(result).isEqualTo(new UpstreamResult.Rejected<>("invalid_client", 401));
        assertThat(((UpstreamResult.Rejected<?>) result).isInvalidClient()).isTrue();
    }

    @Test
    void theRefreshSendsTheRefreshGrantWithTheClientCredentialsInTheBody() {
        soundCloud.stubFor(Call.APP_TOKEN_REFRESH.stub().willReturn(okJson(TOKEN_JSON)));

        AppTokenGrant grant = granted(client.refreshAppToken(PRESENTED_REFRESH));

        LoggedRequest request = FakeSoundCloud.received(soundCloud, Call.APP_TOKEN_REFRESH).getFirst();
        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(FakeSoundCloud.form(request)).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("refresh_token", PRESENTED_REFRESH.value()),
                entry("redirect_uri", REDIRECT_URI),
                entry("client_id", CLIENT_ID),
                entry("client_secret", CLIENT_SECRET));
        assertThat(grant.refreshToken()).hasValueSatisfying(token -> assertThat(token.value()).isEqualTo(ISSUED_REFRESH));
        assertThat(events.upstreamCalls).extracting(RecordingEvents.UpstreamCall::endpoint)
                .containsExactly(UpstreamEndpoint.APP_TOKEN_REFRESH);
    }

    @Test
    void aRefreshWithoutANewRefreshTokenKeepsThePresentedOne() {
        soundCloud.stubFor(Call.APP_TOKEN_REFRESH.stub().willReturn(okJson("""
                {"access_token":"fresh-app-token","expires_in":3599}""")));

        assertThat(granted(client.refreshAppToken(PRESENTED_REFRESH)).refreshToken()).contains(PRESENTED_REFRESH);
    }

    @Test
    void aRetryAfterInSecondsIsTakenAsIs() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "120")));

        assertThat(client.grantAppToken())
                .isEqualTo(new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(120))));
    }

    @Test
    void aRetryAfterDateCountsFromNow() {
        ZonedDateTime reset = ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(30).withNano(0);
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(reset))));

        assertThat(waitOf(client.grantAppToken())).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));
    }

    @Test
    void ofAHeaderAndABodyTheLaterResetTimeCounts() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        DateTimeFormatter soundCloudTime = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z");
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusMinutes(10)))
                .withHeader("Content-Type", "application/json").withBody("""
                        {"errors":[{"meta":{"reset_time":"%s"}},{"meta":{"reset_time":"%s"}}]}""".formatted(
                        soundCloudTime.format(now.plusMinutes(5)),
                        soundCloudTime.format(now.plusMinutes(45).withZoneSameInstant(ZoneOffset.ofHours(1)))))));

        assertThat(waitOf(client.grantAppToken())).isBetween(Duration.ofMinutes(44), Duration.ofMinutes(45));
    }

    @Test
    void aResetTimeAlreadyPastMeansASecond() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Sun, 01 Mar 2020 13:00:00 GMT")));

        assertThat(waitOf(client.grantAppToken())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRateLimitThatSaysNothingUsableHasNoResetTime() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "soon").withBody("<html>Too Many Requests</html>")));

        assertThat(client.grantAppToken()).isEqualTo(new UpstreamResult.RateLimited<>(Optional.empty()));
    }

    private static Duration waitOf(UpstreamResult<AppTokenGrant> result) {
        assertThat(result).isInstanceOf(UpstreamResult.RateLimited.class);
        return ((UpstreamResult.RateLimited<AppTokenGrant>) result).retryAfter().orElseThrow();
    }
}
