package dev.starlib.auth.bootstrap;

import io.helidon.http.HeaderNames;
import io.helidon.logging.common.LogConfig;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run of JDK 25's AOT cache (JEP 514), started by {@code scripts/aot-cache.sh} with
 * {@code -XX:AOTCacheOutput}: it starts the service the way {@link Main} does (memory store, free loopback ports, a
 * temporary working directory, nothing of the user's {@code .env}), goes through what a start and its first
 * requests touch (health, metrics, the bare route, {@code /authorize}, the dashboard), stops, and exits. The JVM
 * then writes the classes it loaded and linked to the cache; later starts with {@code -XX:AOTCache} map them
 * instead of reading, verifying and linking each one. The SoundCloud adapter is the live one with placeholder
 * credentials and base URLs on a closed port, and it is never called: a start needs no login. Everything in the
 * cache is mapped into every later process, so what a login alone needs is left out (it is loaded at the first
 * login, as before); {@code AotTraining N} adds N logins through the sandbox, for comparison.
 */
public final class AotTraining {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final Pattern FIELD = Pattern.compile("\"(state|authorization_url|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        Path directory = Files.createTempDirectory("starlib-aot-training");
        int exit = 0;
        try {
            train(directory, args.length > 0 ? Integer.parseInt(args[0]) : 0);
        } catch (Exception | AssertionError e) {
            System.err.println("AOT training failed: " + e);
            exit = 1;
        } finally {
            deleteTree(directory);
        }
        System.exit(exit);
    }

    private static void train(Path directory, int logins) throws Exception {
        // The sandbox sends the browser to the registered redirect URI: it must be this service's, not :8000.
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> environment = new HashMap<>(Map.of(
                "BACKEND_HOST", "127.0.0.1",
                "BACKEND_PORT", Integer.toString(port),
                "ADMIN_PORT", "0",
                "ADMIN_PASSWORD", "aot-training-only",
                "SOUNDCLOUD_REDIRECT_URI", "http://127.0.0.1:" + port + "/auth/soundcloud/redirect"));
        if (logins > 0) {
            environment.putAll(Map.of("SOUNDCLOUD_MODE", "sandbox", "SANDBOX_AUTO_APPROVE", "true"));
        } else {
            // The live adapter, never called: /authorize needs no SoundCloud, and nothing here is sent anywhere.
            environment.putAll(Map.of("CLIENT_ID", "aot-training", "CLIENT_SECRET", "aot-training-only",
                    "SOUNDCLOUD_AUTH_BASE_URL", "http://127.0.0.1:9", "SOUNDCLOUD_API_BASE_URL", "http://127.0.0.1:9"));
        }
        ServiceSettings settings = SettingsLoader.load(environment, directory);
        try (StarlibAuth app = StarlibAuth.start(settings, Clock.systemUTC())) {
            String api = "http://127.0.0.1:" + app.port();
            String admin = "http://127.0.0.1:" + app.adminPort();
            Http1Client http = Http1Client.builder().followRedirects(false).keepAlive(true)
                    .shareConnectionCache(false).readTimeout(Duration.ofSeconds(30)).build();
            expect(http, api + "/auth/soundcloud/done", 200);
            expect(http, admin + "/observe/health/ready", 200);
            expect(http, admin + "/observe/metrics", 200);
            for (int i = 0; i < 20; i++) {
                expect(http, api + "/auth/soundcloud/authorize?return_to="
                        + java.net.URLEncoder.encode(RETURN_TO, java.nio.charset.StandardCharsets.UTF_8), 200);
            }
            for (int i = 0; i < logins; i++) {
                String refreshToken = login(http, api);
                if (i % 4 == 0) {
                    post(http, api + "/auth/soundcloud/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
                }
            }
            try (HttpClientResponse page = http.get(admin + "/admin")
                    .header(HeaderNames.AUTHORIZATION, "Basic " + java.util.Base64.getEncoder()
                            .encodeToString("admin:aot-training-only".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .request()) {
                page.as(String.class);
            }
        }
    }

    /** The backend-redirect login through the sandbox, as a browser does it; returns the refresh token. */
    private static String login(Http1Client http, String api) {
        String started = expect(http, api + "/auth/soundcloud/authorize?return_to="
                + java.net.URLEncoder.encode(RETURN_TO, java.nio.charset.StandardCharsets.UTF_8), 200);
        String state = field(started, "state");
        String consent = redirect(http, field(started, "authorization_url").replace("\\u0026", "&"));
        redirect(http, consent.startsWith("/") ? api + consent : consent);
        return field(expect(http, api + "/auth/soundcloud/result?state=" + state, 200), "refresh_token");
    }

    private static String expect(Http1Client http, String url, int status) {
        try (HttpClientResponse response = http.get().uri(URI.create(url)).request()) {
            String body = response.as(String.class);
            if (response.status().code() != status) {
                throw new AssertionError(url.replaceAll("\\?.*", "") + " answered " + response.status().code());
            }
            return body;
        }
    }

    private static String redirect(Http1Client http, String url) {
        try (HttpClientResponse response = http.get().uri(URI.create(url)).request()) {
            if (response.status().family() != io.helidon.http.Status.Family.REDIRECTION) {
                throw new AssertionError(url.replaceAll("\\?.*", "") + " answered " + response.status().code());
            }
            return response.headers().first(HeaderNames.LOCATION).orElseThrow();
        }
    }

    private static void post(Http1Client http, String url, String json) {
        try (HttpClientResponse response = http.post(url).header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(json)) {
            response.as(String.class);
        }
    }

    private static String field(String json, String name) {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new AssertionError("no " + name + " in the answer");
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
