package dev.starlib.auth.bootstrap;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The whole service on two real ports (public and admin) with WireMock playing SoundCloud, for tests that
 * look at it from outside: plain HTTP requests, optionally with the admin's Basic credentials.
 */
final class RunningService implements AutoCloseable {

    static final String ADMIN_USER = "operator";
    static final String ADMIN_PASSWORD = "test-admin-password";

    final WireMockServer soundCloud;
    final StarlibAuth app;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private RunningService(WireMockServer soundCloud, StarlibAuth app) {
        this.soundCloud = soundCloud;
        this.app = app;
    }

    /** Configured with client credentials and the admin password above, unless {@code overrides} say otherwise. */
    static RunningService start(Path workDir, Map<String, String> overrides) {
        return start(workDir, overrides, Clock.systemUTC());
    }

    /** As {@link #start(Path, Map)}, with SoundCloud answering as {@code stubs} say from before the start on. */
    static RunningService start(Path workDir, Map<String, String> overrides, MappingBuilder... stubs) {
        return start(workDir, overrides, Clock.systemUTC(), stubs);
    }

    /** As {@link #start(Path, Map, MappingBuilder...)}, with the service's clock (its trends, expiries, pages) given. */
    static RunningService start(Path workDir, Map<String, String> overrides, Clock clock, MappingBuilder... stubs) {
        WireMockServer soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        for (MappingBuilder stub : stubs) {
            soundCloud.stubFor(stub);
        }
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        Map<String, String> environment = new HashMap<>(Map.of(
                "CLIENT_ID", "admin-test-client",
                "CLIENT_SECRET", "admin-test-secret",
                "BACKEND_PORT", "0",
                "ADMIN_PORT", "0",
                "ADMIN_USER", ADMIN_USER,
                "ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream,
                "SOUNDCLOUD_TIMEOUT_MS", "2000"));
        environment.putAll(overrides);
        environment.values().removeIf(String::isEmpty);
        try {
            return new RunningService(soundCloud, StarlibAuth.start(SettingsLoader.load(environment, workDir), clock));
        } catch (RuntimeException e) {
            soundCloud.stop();
            throw e;
        }
    }

    /** SoundCloud approves every code and knows the user. */
    void soundCloudApproves() {
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":3599}")));
        soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"dj test\",\"permalink\":\"dj-test\","
                        + "\"avatar_url\":\"https://i1.sndcdn.com/avatars-1.jpg\"}")));
    }

    String publicBase() {
        return "http://127.0.0.1:" + app.port();
    }

    String adminBase() {
        return "http://127.0.0.1:" + app.adminPort();
    }

    HttpResponse<String> fetch(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> submit(String url, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    static String[] basic(String user, String password) {
        return new String[]{"Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    static String[] admin() {
        return basic(ADMIN_USER, ADMIN_PASSWORD);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
        soundCloud.stop();
    }
}
