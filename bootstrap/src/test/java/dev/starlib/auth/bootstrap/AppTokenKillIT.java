package dev.starlib.auth.bootstrap;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.starlib.auth.store.redis.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service as the backend's services use it: 20 uses of the app token, {@code kill -9}, a restart on the
 * same file store, and SoundCloud (WireMock, run by this test) has seen exactly one client-credentials grant. The
 * token is sealed in the store files and absent from both runs' logs. Runs after {@code package}, under failsafe.
 */
class AppTokenKillIT {

    private static final String ACCESS = "PACKAGED-APP-ACCESS-9e1f27";
    private static final String REFRESH = "PACKAGED-APP-REFRESH-44aa0c";
    private static final String KEY = "kill-it-internal-key-" + "q".repeat(20);
    private static final String CLIENT_SECRET = "kill-it-client-secret";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final int KILLED = 128 + 9;

    @TempDir
    Path workDir;
    private WireMockServer soundCloud;
    private final List<ChildProcess> started = new ArrayList<>();
    private final CheckedHttp http = new CheckedHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build());

    @BeforeEach
    void startSoundCloud() {
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\":\"" + ACCESS + "\",\"refresh_token\":\"" + REFRESH
                        + "\",\"expires_in\":3599,\"scope\":\"\",\"token_type\":\"bearer\"}")));
    }

    @AfterEach
    void stopEverything() {
        started.forEach(ChildProcess::close);
        if (soundCloud != null) {
            soundCloud.stop();
        }
    }

    @Test
    void twentyUsesAKillAndARestartCostOneGrantAndLeaveNoTokenInClear() throws Exception {
        int adminPort = LoopbackPorts.free();
        ChildProcess first = startService(adminPort);
        for (int use = 0; use < 20; use++) {
            assertThat(json(appToken(adminPort), 200).get("access_token").asText()).isEqualTo(ACCESS);
        }

        assertThat(first.kill()).as("exit status of the killed service").isEqualTo(KILLED);
        startService(adminPort);

        assertThat(json(appToken(adminPort), 200).get("access_token").asText()).isEqualTo(ACCESS);
        assertThat(soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=client_credentials")))).as("grants SoundCloud saw").hasSize(1);
        assertThat(soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token")))).as("token calls of any kind")
                .hasSize(1);

        List<String> secrets = List.of(ACCESS, REFRESH, KEY, CLIENT_SECRET);
        try (Stream<Path> files = Files.walk(workDir.resolve("sessions"))) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertThat(regular).isNotEmpty();
            for (Path file : regular) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                secrets.forEach(secret -> assertThat(content).as("%s holds a secret in clear", file.getFileName())
                        .doesNotContain(secret));
            }
        }
        for (ChildProcess run : started) {
            assertThat(run.output()).contains("internal API on ADMIN_PORT");
            secrets.forEach(secret -> assertThat(run.output()).as("the log").doesNotContain(secret));
        }
    }

    private ChildProcess startService(int adminPort) throws Exception {
        int port = LoopbackPorts.free();
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        ChildProcess service = ChildProcess.startClean(
                List.of(ChildProcess.currentJava(), "-jar", ChildProcess.jar().toString()), workDir, Map.ofEntries(
                        Map.entry("SESSION_STORE", "file"),
                        Map.entry("SESSION_STORE_PATH", workDir.resolve("sessions").toString()),
                        Map.entry("CLIENT_ID", "kill-it-client"),
                        Map.entry("CLIENT_SECRET", CLIENT_SECRET),
                        Map.entry("INTERNAL_API_TOKEN", KEY),
                        Map.entry("ADMIN_PASSWORD", "kill-it-admin-password"),
                        Map.entry("BACKEND_HOST", "127.0.0.1"),
                        Map.entry("BACKEND_PORT", String.valueOf(port)),
                        Map.entry("ADMIN_PORT", String.valueOf(adminPort)),
                        Map.entry("SOUNDCLOUD_AUTH_BASE_URL", upstream),
                        Map.entry("SOUNDCLOUD_API_BASE_URL", upstream)),
                "[app-token-" + started.size() + "] ");
        started.add(service);
        awaitListening(service, adminPort);
        return service;
    }

    private HttpResponse<String> appToken(int adminPort) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                        + "/internal/soundcloud/app-token"))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static void awaitListening(ChildProcess service, int port) throws Exception {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (!service.alive()) {
                throw new AssertionError("the service exited:\n" + service.output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the service did not listen on " + port + " within " + READY_WITHIN + ":\n"
                + service.output());
    }

}
