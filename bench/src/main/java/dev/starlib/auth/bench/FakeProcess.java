package dev.starlib.auth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starlib.auth.bench.fake.FakeSoundCloud;
import dev.starlib.auth.bench.os.Child;
import dev.starlib.auth.bench.os.SelfSignedTls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fake SoundCloud in its own JVM, and the benchmark's control calls to it. */
final class FakeProcess implements AutoCloseable {

    /** The counters that must not move while logins and refreshes run: each one is a check that failed. */
    static final List<String> REJECTIONS = List.of("rejected_authorize", "rejected_client", "rejected_code",
            "rejected_redirect_uri", "rejected_pkce", "rejected_refresh", "rejected_me", "rejected_request");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Child child;
    private final int port;
    private final int tlsPort;
    private final SelfSignedTls tls;
    private final HttpClient control = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FakeProcess(Child child, int port, int tlsPort, SelfSignedTls tls) {
        this.child = child;
        this.port = port;
        this.tlsPort = tlsPort;
        this.tls = tls;
    }

    /** The fake on plain http, and over TLS with {@code tls}'s certificate on a second port. */
    static FakeProcess start(Path benchJar, Path output, String clientId, String clientSecret, SelfSignedTls tls)
            throws Exception {
        String java = Rig.java();
        Child child = Child.start("fake SoundCloud", List.of(java, "-cp", benchJar.toString(),
                        FakeSoundCloud.class.getName(), clientId), output, Map.of(FakeSoundCloud.SECRET_VARIABLE, clientSecret,
                        FakeSoundCloud.TLS_KEY_STORE_VARIABLE, tls.keyStore().toString(),
                        FakeSoundCloud.TLS_PASSWORD_VARIABLE, tls.password()),
                output.resolve("fake-soundcloud.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = child.output().lines().toList();
            Integer port = portOn(lines, FakeSoundCloud.PORT_LINE);
            Integer tlsPort = portOn(lines, FakeSoundCloud.TLS_PORT_LINE);
            if (port != null && tlsPort != null) {
                return new FakeProcess(child, port, tlsPort, tls);
            }
            if (!child.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        String tail = child.tail(30);
        child.close();
        throw new IllegalStateException("the fake SoundCloud did not start:\n" + tail);
    }

    private static Integer portOn(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix))
                .map(line -> Integer.valueOf(line.substring(prefix.length()))).findFirst().orElse(null);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The same fake over TLS; only clients given {@link #tls()}'s trust can reach it. */
    String tlsBaseUrl() {
        return "https://127.0.0.1:" + tlsPort;
    }

    SelfSignedTls tls() {
        return tls;
    }

    long pid() {
        return child.pid();
    }

    /** SoundCloud knows an app's redirect URIs; so does the fake, one per service the benchmark starts. */
    void register(String redirectUri) throws IOException, InterruptedException {
        HttpResponse<String> answer = control.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/_fake/redirect-uris"))
                .POST(HttpRequest.BodyPublishers.ofString(redirectUri)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("the fake refused the redirect URI: HTTP " + answer.statusCode());
        }
    }

    Map<String, Long> stats() {
        try {
            HttpResponse<String> answer = control.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/_fake/stats"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode counters = JSON.readTree(answer.body());
            Map<String, Long> stats = new LinkedHashMap<>();
            counters.fields().forEachRemaining(field -> stats.put(field.getKey(), field.getValue().asLong()));
            return stats;
        } catch (IOException e) {
            throw new IllegalStateException("the fake SoundCloud does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.getOrDefault(name, 0L)));
        return delta;
    }

    @Override
    public void close() {
        child.close();
    }
}
