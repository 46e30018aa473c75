package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.form;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static dev.starlib.auth.bootstrap.OAuthWire.query;
import static dev.starlib.auth.bootstrap.OAuthWire.s256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both login flows and a refresh through the real server, the real SoundCloud adapter and the real store,
 * with WireMock playing SoundCloud. Every exchange is checked against contract/openapi.yaml.
 */
class EndToEndTest {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WireMockServer soundCloud;
    private static StarlibAuth app;
    private static String base;
    @TempDir
    static Path workDir;

    private final CheckedHttp http = new CheckedHttp();

    @BeforeAll
    static void start() {
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        ServiceSettings settings = SettingsLoader.load(Map.of(
                "CLIENT_ID", "e2e-client",
                "CLIENT_SECRET", "e2e-secret",
                "BACKEND_PORT", "0",
                "ADMIN_PORT", "0",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream,
                "SOUNDCLOUD_TIMEOUT_MS", "2000"), workDir);
        app = StarlibAuth.start(settings, Clock.systemUTC());
        base = "http://127.0.0.1:" + app.port() + "/auth/soundcloud";
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (soundCloud != null) {
            soundCloud.stop();
        }
    }

    @BeforeEach
    void stubSoundCloud() {
        soundCloud.resetAll();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"access_token":"access-1","refresh_token":"refresh-1","expires_in":3599,"scope":""}""")));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=refresh-1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"access_token":"access-2","refresh_token":"refresh-2","expires_in":3599}""")));
        soundCloud.stubFor(get(urlEqualTo("/me"))
                .withHeader("Authorization", equalTo("OAuth access-1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"urn":"soundcloud:users:4242","username":"dj test","permalink":"dj-test",
                                 "avatar_url":"https://i1.sndcdn.com/avatars-1.jpg"}""")));
    }

    @Test
    void backendRedirectFlowHandsTheResultOverExactlyOnce() throws Exception {
        JsonNode started = json(send(getting("/authorize?return_to=" + RETURN_TO)), 200);
        String state = started.get("state").asText();
        Map<String, String> authorizeQuery = query(URI.create(started.get("authorization_url").asText()));
        assertThat(started.get("url").asText()).isEqualTo(started.get("authorization_url").asText());
        assertThat(authorizeQuery).containsEntry("client_id", "e2e-client").containsEntry("state", state)
                .containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code");

        HttpResponse<String> redirect = send(getting("/redirect?code=sc-code-1&state=" + state));
        assertThat(redirect.statusCode()).isEqualTo(303);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(RETURN_TO + "?state=" + state).doesNotContain("sc-code-1");
        assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");

        // SoundCloud saw the verifier whose S256 challenge went out in the authorization URL.
        LoggedRequest exchange = soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).getFirst();
        Map<String, String> form = form(exchange.getBodyAsString());
        assertThat(form).containsEntry("code", "sc-code-1").containsEntry("client_secret", "e2e-secret")
                .containsEntry("redirect_uri", "http://127.0.0.1:8000/auth/soundcloud/redirect");
        assertThat(s256(form.get("code_verifier"))).isEqualTo(authorizeQuery.get("code_challenge"));

        HttpResponse<String> pickup = send(getting("/result?state=" + state));
        JsonNode result = json(pickup, 200);
        assertThat(pickup.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(result.get("access_token").asText()).isEqualTo("access-1");
        assertThat(result.get("refresh_token").asText()).isEqualTo("refresh-1");
        assertThat(result.get("expires_in").asLong()).isBetween(3590L, 3599L);
        assertThat(result.get("user").get("id").asLong()).isEqualTo(4242L);
        assertThat(result.get("user").get("username").asText()).isEqualTo("dj test");

        assertThat(send(getting("/result?state=" + state)).statusCode()).isEqualTo(410);
        assertThat(send(getting("/redirect?code=sc-code-1&state=" + state)).statusCode()).isEqualTo(400);
    }

    @Test
    void directCallbackFlowAnswersWithTokensAndTheUser() throws Exception {
        String state = json(send(getting("/authorize")), 200).get("state").asText();

        JsonNode result = json(send(posting("/callback", "{\"code\":\"sc-code-2\",\"state\":\"" + state + "\"}")), 200);

        assertThat(result.get("access_token").asText()).isEqualTo("access-1");
        assertThat(result.get("user").get("permalink").asText()).isEqualTo("dj-test");
        assertThat(send(posting("/callback", "{\"code\":\"sc-code-2\",\"state\":\"" + state + "\"}")).statusCode())
                .isEqualTo(400);
    }

    @Test
    void refreshRotatesTheRefreshToken() throws Exception {
        JsonNode refreshed = json(send(posting("/refresh", "{\"refresh_token\":\"refresh-1\"}")), 200);

        assertThat(refreshed.get("access_token").asText()).isEqualTo("access-2");
        assertThat(refreshed.get("refresh_token").asText()).isEqualTo("refresh-2");
        assertThat(refreshed.get("expires_in").asInt()).isEqualTo(3599);
    }

    @Test
    void deadRefreshTokenTellsTheClientToSignInAgain() throws Exception {
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=dead"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\"}")));

        HttpResponse<String> response = send(posting("/refresh", "{\"refresh_token\":\"dead\"}"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    private HttpRequest getting(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).GET().build();
    }

    private HttpRequest posting(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request);
    }
}
