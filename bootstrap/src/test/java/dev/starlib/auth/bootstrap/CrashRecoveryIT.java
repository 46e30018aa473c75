package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
 * The packaged service ({@code starlib-auth.jar}) as a child process on {@code SESSION_STORE=file}, killed with
 * SIGKILL in the middle of a login and started again on the same store, with WireMock playing SoundCloud.
 * Runs after {@code package}, under failsafe.
 */
class CrashRecoveryIT {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String ACCESS_TOKEN = "CRASH-IT-ACCESS-TOKEN-5f1d";
    private static final String REFRESH_TOKEN = "CRASH-IT-REFRESH-TOKEN-a7c3";
    private static final String USERNAME = "Crash Test Username";

    @TempDir
    Path workDir;
    private Path store;
    private WireMockServer soundCloud;
    private final List<ServiceJar> started = new ArrayList<>();
    private final CheckedHttp http = new CheckedHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build());
    private String base;

    @BeforeEach
    void startSoundCloud() {
        store = workDir.resolve("sessions");
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"refresh_token\":\"" + REFRESH_TOKEN
                                + "\",\"expires_in\":3599,\"scope\":\"\"}")));
        soundCloud.stubFor(get(urlEqualTo("/me"))
                .withHeader("Authorization", equalTo("OAuth " + ACCESS_TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"" + USERNAME
                                + "\",\"permalink\":\"crash-test\",\"avatar_url\":\"https://i1.sndcdn.com/a.jpg\"}")));
    }

    @AfterEach
    void killEverything() {
        ServiceJar.closeAll(started);
        if (soundCloud != null) {
            soundCloud.stop();
        }
    }

    @Test
    void loginStartedBeforeAKillIsCompletedAfterTheRestart() throws Exception {
        ServiceJar first = startService(Map.of());
        JsonNode authorization = json(send(request("/authorize?return_to=" + RETURN_TO)), 200);
        String state = authorization.get("state").asText();
        String challenge = query(URI.create(authorization.get("authorization_url").asText())).get("code_challenge");

        first.kill();
        startService(Map.of());

        HttpResponse<String> redirect = send(request("/redirect?code=sc-code-1&state=" + state));
        assertThat(redirect.statusCode()).as("the /redirect after the restart: %s", redirect.body()).isEqualTo(303);
        assertThat(redirect.headers().firstValue("Location")).contains(RETURN_TO + "?state=" + state);
        // SoundCloud got the verifier stored before the kill: its S256 is the challenge sent out then.
        String verifier = verifierSentToSoundCloud();
        assertThat(s256(verifier)).isEqualTo(challenge);
        JsonNode result = json(send(request("/result?state=" + state)), 200);
        assertThat(result.get("access_token").asText()).isEqualTo(ACCESS_TOKEN);
        assertThat(result.get("user").get("username").asText()).isEqualTo(USERNAME);

        assertThat(started.get(0).log()).contains("created a key for the session store");
        assertThat(started.get(1).log()).doesNotContain("created a key for the session store");
        assertNoSecretsIn(store, state, verifier);
    }

    @Test
    void finishedLoginSurvivesAKillAndIsHandedOutOnlyOnce() throws Exception {
        Map<String, String> configuredKey = Map.of("SESSION_STORE_KEY", randomKey());
        ServiceJar first = startService(configuredKey);
        String state = json(send(request("/authorize?return_to=" + RETURN_TO)), 200).get("state").asText();
        assertThat(send(request("/redirect?code=sc-code-2&state=" + state)).statusCode()).isEqualTo(303);

        first.kill();
        ServiceJar second = startService(configuredKey);

        assertThat(send(request("/redirect?code=sc-code-2&state=" + state)).statusCode())
                .as("a state consumed before the kill stays used").isEqualTo(400);
        JsonNode result = json(send(request("/result?state=" + state)), 200);
        assertThat(result.get("refresh_token").asText()).isEqualTo(REFRESH_TOKEN);

        second.kill();
        startService(configuredKey);

        HttpResponse<String> again = send(request("/result?state=" + state));
        assertThat(again.statusCode()).as("a result picked up before the kill").isIn(410, 404);
        assertThat(store.resolve("store.key")).doesNotExist();
        assertNoSecretsIn(store, state, verifierSentToSoundCloud());
    }

    /**
     * The client's answer was lost (a dropped connection, a closed lid) and the service was killed too: the retry
     * with the old token within the window still gets the pair SoundCloud issued, read back from the disk.
     */
    @Test
    void aRefreshAnsweredBeforeAKillIsHandedOutAgainToTheRetryAfterTheRestart() throws Exception {
        String rotatedAccess = "CRASH-IT-ROTATED-ACCESS-0c9e";
        String rotatedRefresh = "CRASH-IT-ROTATED-REFRESH-4b1d";
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + rotatedAccess + "\",\"refresh_token\":\"" + rotatedRefresh
                                + "\",\"expires_in\":3599}")));
        ServiceJar first = startService(Map.of());
        JsonNode rotated = json(send(refresh(REFRESH_TOKEN)), 200);
        assertThat(rotated.get("refresh_token").asText()).isEqualTo(rotatedRefresh);

        first.kill();
        // SoundCloud has rotated the token: asked again, it would refuse it.
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\"}")));
        startService(Map.of());

        JsonNode retried = json(send(refresh(REFRESH_TOKEN)), 200);
        assertThat(retried.get("access_token").asText()).isEqualTo(rotatedAccess);
        assertThat(retried.get("refresh_token").asText()).isEqualTo(rotatedRefresh);
        assertThat(soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token")))).as("asked SoundCloud once").hasSize(1);
        assertThat(started.get(1).log()).contains("1 remembered rotations");
        assertNoSecretsIn(store, rotatedAccess, rotatedRefresh);
    }

    // --- the child process ----------------------------------------------------------------------------

    private ServiceJar startService(Map<String, String> extraEnvironment) throws Exception {
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        Map<String, String> environment = new HashMap<>(Map.of(
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", store.toString(),
                "CLIENT_ID", "crash-it-client",
                "CLIENT_SECRET", "crash-it-secret",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream,
                "SOUNDCLOUD_TIMEOUT_MS", "10000"));
        environment.putAll(extraEnvironment);
        ServiceJar service = ServiceJar.start(workDir, "service-" + started.size(), environment);
        started.add(service);
        base = service.api();
        return service;
    }

    // --- checks ---------------------------------------------------------------------------------------

    /** Beside the fixed secrets, {@code more}: a state and a verifier, or the tokens of a rotation. */
    private void assertNoSecretsIn(Path directory, String... more) throws IOException {
        List<String> secrets = new ArrayList<>(List.of(ACCESS_TOKEN, REFRESH_TOKEN, USERNAME, "sc-code-"));
        secrets.addAll(List.of(more));
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertThat(regular).isNotEmpty();
            for (Path file : regular) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s holds a secret in clear", file.getFileName()).doesNotContain(secret);
                }
            }
        }
    }

    private String verifierSentToSoundCloud() {
        var exchanges = soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(exchanges).hasSize(1);
        return form(exchanges.getFirst().getBodyAsString()).get("code_verifier");
    }

    // --- HTTP -----------------------------------------------------------------------------------------

    private HttpRequest refresh(String refreshToken) {
        return HttpRequest.newBuilder(URI.create(base + "/refresh")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken + "\"}")).build();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
