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
import java.time.Instant;
import java.time.ZoneOffset;
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
    void aRetryAfterInSecondsCountsFromTheAnswer() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "120")));

        Instant before = Instant.now();
        UpstreamResult<AppTokenGrant> result = client.grantAppToken();
        Instant after = Instant.now();

        assertThat(result).isInstanceOfSatisfying(UpstreamResult.RateLimited.class, limited ->
                assertThat(limited.resetAt()).hasValueSatisfying(reset -> assertThat((Instant) reset)
                        .isBetween(before.plusSeconds(120), after.plusSeconds(120))));
    }

    @Test
    void aRetryAfterDateIsTakenAsIs() {
        Instant reset = Instant.parse("2026-03-01T15:00:00Z");
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(reset.atZone(ZoneOffset.UTC)))));

        assertThat(client.grantAppToken()).isEqualTo(new UpstreamResult.RateLimited<>(Optional.of(reset)));
    }

    @Test
    void ofAHeaderAndABodyTheLaterResetTimeCounts() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Sun, 01 Mar 2026 13:00:00 GMT")
                .withHeader("Content-Type", "application/json").withBody("""
                        {"errors":[{"meta":{"reset_time":"2026/03/01 12:30:00 +0000"}},\
                        {"meta":{"reset_time":"2026/03/01 14:15:00 +0100"}}]}""")));

        assertThat(client.grantAppToken())
                .isEqualTo(new UpstreamResult.RateLimited<>(Optional.of(Instant.parse("2026-03-01T13:15:00Z"))));
    }

    @Test
    void aRateLimitThatSaysNothingUsableHasNoResetTime() {
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "soon").withBody("<html>Too Many Requests</html>")));

        assertThat(client.grantAppToken()).isEqualTo(new UpstreamResult.RateLimited<>(Optional.empty()));
    }
}
