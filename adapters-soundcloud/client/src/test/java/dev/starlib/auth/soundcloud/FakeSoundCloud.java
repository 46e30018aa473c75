package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.RefreshToken;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** SoundCloud played by WireMock, and the values our tests send it. Awkward characters test the encoding. */
final class FakeSoundCloud {

    static final String CLIENT_ID = "starlib-desktop";
    static final String CLIENT_SECRET = "s3cr3t+ &=%/value";
    static final String REDIRECT_URI = "http://localhost:8080/redirect?app=desktop&v=1";
    static final AuthorizationCode CODE = new AuthorizationCode("c0de+with&odd=chars%2F");
    static final CodeVerifier VERIFIER = new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    static final RefreshToken PRESENTED_REFRESH = new RefreshToken("refresh+old/=%&token");
    static final AccessToken ACCESS = new AccessToken("access-token-for-me");

    static final String ISSUED_ACCESS = "issued-access-token";
    static final String ISSUED_REFRESH = "issued-refresh-token";
    static final String TOKEN_JSON = """
            {"access_token":"issued-access-token","token_type":"bearer","expires_in":3599,\
            "refresh_token":"issued-refresh-token","scope":""}""";
    static final String USER_JSON = """
            {"id":4711,"urn":"soundcloud:users:4711","username":"Nightcore Fan","permalink":"nightcore-fan",\
            "avatar_url":"https://i1.sndcdn.com/avatars-000-large.jpg","kind":"user"}""";

    static final String TOKEN_PATH = "/auth/oauth/token";
    static final String ME_PATH = "/api/me";
    static final String SIGN_OUT_PATH = "/api/sign-out";

    private FakeSoundCloud() {
    }

    static WireMockExtension server() {
        return WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().dynamicHttpsPort()).build();
    }

    /** Token and API on different base paths, so a call sent to the wrong base finds no stub. */
    static SoundCloudSettings settings(WireMockExtension server, Duration timeout) {
        return settings("http://localhost:" + server.getPort(), timeout);
    }

    /** Every call, refreshes included, within {@code timeout}: the rules all calls share. */
    static SoundCloudSettings settings(String origin, Duration timeout) {
        return settings(origin, timeout, timeout);
    }

    /** A refresh may outlast {@code timeout}, up to {@code refreshTimeout}, as in the service. */
    static SoundCloudSettings settings(String origin, Duration timeout, Duration refreshTimeout) {
        return new SoundCloudSettings(URI.create(origin + "/auth"), URI.create(origin + "/api"), CLIENT_ID,
                new ClientSecret(CLIENT_SECRET), URI.create(REDIRECT_URI), timeout, refreshTimeout);
    }

    /** A form body decoded the way any server decodes it: names and values in the order they were sent. */
    static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int equals = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** The calls the client makes, so that one rule can be checked for all of them. */
    enum Call {
        CODE_EXCHANGE(UpstreamEndpoint.TOKEN_EXCHANGE, TOKEN_PATH, TOKEN_JSON,
                client -> client.exchangeCode(CODE, VERIFIER)),
        REFRESH(UpstreamEndpoint.TOKEN_REFRESH, TOKEN_PATH, TOKEN_JSON,
                client -> client.refresh(PRESENTED_REFRESH)),
        ME(UpstreamEndpoint.ME, ME_PATH, USER_JSON,
                client -> client.me(ACCESS)),
        APP_TOKEN_GRANT(UpstreamEndpoint.APP_TOKEN_GRANT, TOKEN_PATH, TOKEN_JSON,
                SoundCloudClient::grantAppToken),
        APP_TOKEN_REFRESH(UpstreamEndpoint.APP_TOKEN_REFRESH, TOKEN_PATH, TOKEN_JSON,
                client -> client.refreshAppToken(PRESENTED_REFRESH));

        final UpstreamEndpoint endpoint;
        final String path;
        final String successBody;
        private final Function<SoundCloudClient, UpstreamResult<?>> invocation;

        Call(UpstreamEndpoint endpoint, String path, String successBody,
             Function<SoundCloudClient, UpstreamResult<?>> invocation) {
            this.endpoint = endpoint;
            this.path = path;
            this.successBody = successBody;
            this.invocation = invocation;
        }

        MappingBuilder stub() {
            return this == ME ? get(urlPathEqualTo(path)) : post(urlPathEqualTo(path));
        }

        RequestPatternBuilder requests() {
            return this == ME ? getRequestedFor(urlPathEqualTo(path)) : postRequestedFor(urlPathEqualTo(path));
        }

        UpstreamResult<?> on(SoundCloudClient client) {
            return invocation.apply(client);
        }
    }

    static List<LoggedRequest> received(WireMockExtension server, Call call) {
        return server.findAll(call.requests());
    }
}
