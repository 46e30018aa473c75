package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_ID;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_SECRET;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CODE;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.REDIRECT_URI;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.TOKEN_JSON;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class CodeExchangeTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final RecordingEvents events = new RecordingEvents();

    private UpstreamResult<Tokens> exchange() {
        return new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)), events)
                .exchangeCode(CODE, VERIFIER);
    }

    private void answer(int status, String body) {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void sendsTheAuthorizationCodeGrantSoundCloudExpects() {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(okJson(TOKEN_JSON)));

        exchange();

        List<LoggedRequest> requests = FakeSoundCloud.received(soundCloud, Call.CODE_EXCHANGE);
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(request.getQueryParams()).isEmpty();
        assertThat(FakeSoundCloud.form(request)).containsExactly(
                entry("grant_type", "authorization_code"),
                entry("code", CODE.value()),
                entry("redirect_uri", REDIRECT_URI),
                entry("code_verifier", VERIFIER.value()),
                entry("client_id", CLIENT_ID),
                entry("client_secret", CLIENT_SECRET));
    }

    @Test
    void encodesFormValuesSoThatReservedCharactersSurvive() {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(okJson(TOKEN_JSON)));

        exchange();

        String body = FakeSoundCloud.received(soundCloud, Call.CODE_EXCHANGE).getFirst().getBodyAsString();
        assertThat(body)
                .contains("code=c0de%2Bwith%26odd%3Dchars%252F")
                .contains("client_secret=s3cr3t%2B+%26%3D%25%2Fvalue")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fredirect%3Fapp%3Ddesktop%26v%3D1");
    }

    @Test
    void grantedTokensAreReturned() {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(okJson(TOKEN_JSON)));

        UpstreamResult<Tokens> result = exchange();

        assertThat(result).isInstanceOf(UpstreamResult.Success.class);
        Tokens tokens = ((UpstreamResult.Success<Tokens>) result).value();
        assertThat(tokens.accessToken().value()).isEqualTo(ISSUED_ACCESS);
        assertThat(tokens.refreshToken().value()).isEqualTo(ISSUED_REFRESH);
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(events.upstreamCalls).singleElement().satisfies(call -> {
            assertThat(call.endpoint()).isEqualTo(UpstreamEndpoint.TOKEN_EXCHANGE);
            assertThat(call.outcome()).isEqualTo("success");
            assertThat(call.duration()).isPositive();
        });
    }

    @Test
    void expiresInGivenAsStringIsAccepted() {
        answer(200, """
                {"access_token":"a","refresh_token":"r","expires_in":"3600"}""");

        assertThat(exchange()).isInstanceOfSatisfying(UpstreamResult.Success.class,
                success -> assertThat(((Tokens) success.value()).expiresIn()).isEqualTo(Duration.ofHours(1)));
    }

    @Test
    void grantWithoutRefreshTokenIsUnusable() {
        answer(200, """
                {"access_token":"a","expires_in":3600}""");

        assertThat(exchange()).isEqualTo(new UpstreamResult.Unavailable<>("token response without refresh_token"));
        assertThat(events.upstreamCalls).extracting(RecordingEvents.UpstreamCall::outcome).containsExactly("unavailable");
    }

    @Test
    void grantWithoutAccessTokenIsUnavailable() {
        answer(200, """
                {"refresh_token":"r","expires_in":3600}""");

        assertThat(exchange()).isEqualTo(new UpstreamResult.Unavailable<>("unreadable token response"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><body>Welcome to SoundCloud</body></html>", "not json at all", "", "[]", "null",
            "{\"access_token\":42,\"refresh_token\":\"r\",\"expires_in\":3600}"})
    void successStatusWithUnreadableBodyIsUnavailable(String body) {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody(body)));

        assertThat(exchange()).isEqualTo(new UpstreamResult.Unavailable<>("unreadable token response"));
    }

    @Test
    void invalidGrantOn400IsRejected() {
        answer(400, """
                {"error":"invalid_grant","error_description":"The provided authorization grant is invalid"}""");

        UpstreamResult<Tokens> result = exchange();

        assertThat(result).isEqualTo(new UpstreamResult.Rejected<>("invalid_grant", 400));
        assertThat(((UpstreamResult.Rejected<Tokens>) result).isInvalidGrant()).isTrue();
        assertThat(events.upstreamCalls).extracting(RecordingEvents.UpstreamCall::outcome).containsExactly("rejected");
    }

    @Test
    void invalidGrantOn401IsRejected() {
        answer(401, """
                {"error":"invalid_grant"}""");

        assertThat(exchange()).isEqualTo(new UpstreamResult.Rejected<>("invalid_grant", 401));
    }

    @Test
    void invalidClientOn401IsRejectedAsInvalidClient() {
        answer(401, """
                {"error":"invalid_client","error_description":"Client authentication failed"}""");

        UpstreamResult<Tokens> result = exchange();

        assertThat(result).isEqualTo(new UpstreamResult.Rejected<>("invalid_client", 401));
        assertThat(((UpstreamResult.Rejected<Tokens>) result).isInvalidClient()).isTrue();
    }

    @Test
    void errorCodeThatIsNotASafeTokenBecomesInvalidRequest() {
        answer(400, """
                {"error":"<script>alert(1)</script> code=c0de+with"}""");

        assertThat(exchange()).isEqualTo(new UpstreamResult.Rejected<>("invalid_request", 400));
    }

    @Test
    void badRequestWithoutJsonErrorIsUnavailable() {
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/html").withBody("<html>Bad Request</html>")));

        assertThat(exchange()).isEqualTo(new UpstreamResult.Unavailable<>("HTTP 400"));
    }

    @Test
    void unauthorizedWithJsonButNoErrorIsUnavailable() {
        answer(401, """
                {"code":401,"message":"401 - Unauthorized","error":null}""");

        assertThat(exchange()).isEqualTo(new UpstreamResult.Unavailable<>("HTTP 401"));
    }
}
