package dev.starlib.auth.bootstrap;

import dev.starlib.auth.store.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer test ({@code contract/consumer/frontend.mjs}) through a real haproxy on loopback, round-robin with no
 * stickiness over two instances per flow on one Redis, as {@code docs/deploy.md} deploys it: {@code /auth/soundcloud/*}
 * to the instances, checked on their admin port. SoundCloud is one instance's sandbox, reached by both through the
 * balancer ({@code /sandbox/soundcloud/*}), so a code it issues can be exchanged by either instance.
 */
class LoadBalancedConsumerIT {

    private static final Duration LIMIT = Duration.ofMinutes(8);
    private static final String CLIENT_ID = "lb-consumer-client";
    private static final String CLIENT_SECRET = "lb-consumer-secret";
    /** Where haproxy connects to the instances from: not the consumer test's own address. */
    private static final String HAPROXY_SOURCE = "127.0.0.3";

    @TempDir
    Path workDir;
    private RedisServer redis;
    private final List<ServiceJar> services = new ArrayList<>();
    private Haproxy haproxy;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (haproxy != null) {
            haproxy.close();
        }
        ServiceJar.closeAll(services);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theFrontendsScenariosPassThroughARoundRobinBalancer() throws Exception {
        redis = RedisServer.start(workDir.resolve("redis"));
        String key = randomKey();
        int desktopPort = RedisServer.freePort();
        int webPort = RedisServer.freePort();
        String desktop = "http://127.0.0.1:" + desktopPort;
        String web = "http://127.0.0.1:" + webPort;
        List<ServiceJar> desktops = pair("desktop", desktop, desktop + "/auth/soundcloud/redirect", key);
        List<ServiceJar> webs = pair("web", web, "http://localhost:3000/auth/soundcloud/callback", key);
        haproxy = Haproxy.start(workDir.resolve("haproxy"), config(desktopPort, desktops, webPort, webs),
                List.of(desktopPort, webPort));
        awaitBothUp(desktop, webs.isEmpty() ? desktop : web);

        Path root = Path.of("..").toAbsolutePath().normalize();
        try (ChildProcess node = ChildProcess.start(List.of("node",
                root.resolve("contract/consumer/frontend.mjs").toString(), "--desktop", desktop, "--web", web),
                root, Map.of(), "[consumer via haproxy] ")) {
            int exit = node.waitFor(LIMIT);
            assertThat(exit).as("the consumer test's exit code (-1: longer than %s); its output:%n%s%nhaproxy:%n%s",
                    LIMIT, node.output(), haproxy.log()).isZero();
            assertThat(node.output()).contains("consumer: 10 passed, 0 failed");
        }
        for (ServiceJar service : services) {
            assertThat(service.log()).as("%s served part of the logins", service.name)
                    .doesNotContain("session store unavailable");
        }
        assertThat(answeredBy(desktop)).as("round-robin: both desktop instances answered").hasSize(2);
    }

    /**
     * Two instances of one flow on one Redis prefix: the first also mounts the sandbox that plays SoundCloud for
     * both, the second reaches it through the balancer.
     */
    private List<ServiceJar> pair(String flow, String balancer, String redirectUri, String key) throws Exception {
        Map<String, String> common = new HashMap<>(Map.of(
                "SESSION_STORE", "redis",
                "REDIS_URL", redis.url(),
                "REDIS_KEY_PREFIX", flow + ":",
                "SESSION_STORE_KEY", key,
                "CLIENT_ID", CLIENT_ID,
                "CLIENT_SECRET", CLIENT_SECRET,
                "SOUNDCLOUD_REDIRECT_URI", redirectUri,
                // As the consumer test asks, so that it sees the window's end; shared by both instances in Redis.
                "REFRESH_REUSE_SECONDS", "3",
                // haproxy connects to the instances from this address (its "source" below): the client is then the
                // address haproxy puts in X-Forwarded-For, and its budgets are shared by both instances in Redis.
                "TRUSTED_PROXIES", HAPROXY_SOURCE + "/32"));
        Map<String, String> withSandbox = new HashMap<>(common);
        withSandbox.putAll(Map.of("SOUNDCLOUD_MODE", "sandbox", "SANDBOX_AUTO_APPROVE", "true",
                "SANDBOX_TOKEN_LIFETIME_SECONDS", "62"));
        Map<String, String> live = new HashMap<>(common);
        live.putAll(Map.of("SOUNDCLOUD_AUTH_BASE_URL", balancer + "/sandbox/soundcloud",
                "SOUNDCLOUD_API_BASE_URL", balancer + "/sandbox/soundcloud"));
        ServiceJar first = ServiceJar.start(workDir, flow + "-a", withSandbox);
        services.add(first);
        ServiceJar second = ServiceJar.start(workDir, flow + "-b", live);
        services.add(second);
        return List.of(first, second);
    }

    /** The deploy guide's haproxy configuration, on test ports: see docs/deploy.md. */
    private static String config(int desktopPort, List<ServiceJar> desktops, int webPort, List<ServiceJar> webs) {
        return """
                global
                    maxconn 512
                defaults
                    mode http
                    option forwardfor
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                %s
                %s
                """.formatted(site("desktop", desktopPort, desktops), site("web", webPort, webs));
    }

    private static String site(String name, int port, List<ServiceJar> instances) {
        StringBuilder out = new StringBuilder("""
                frontend %1$s
                    bind 127.0.0.1:%2$d
                    http-response set-header X-Served-By %%s
                    use_backend %1$s_auth if { path_beg /auth/soundcloud/ }
                    use_backend %1$s_sandbox if { path_beg /sandbox/soundcloud/ }
                    # Everything else belongs to the main backend, which this test does not run.
                    default_backend %1$s_main
                backend %1$s_main
                    http-request return status 404
                backend %1$s_auth
                    balance roundrobin
                    source %3$s
                    option httpchk
                    http-check send meth GET uri /observe/health/ready ver HTTP/1.1 hdr Host localhost
                    http-check expect status 200
                """.formatted(name, port, HAPROXY_SOURCE));
        for (ServiceJar instance : instances) {
            out.append("    server ").append(instance.name).append(" 127.0.0.1:").append(instance.port)
                    .append(" check port ").append(instance.adminPort).append(" inter ")
                    .append(Haproxy.CHECK_INTERVAL.toMillis()).append("ms\n");
        }
        out.append("backend ").append(name).append("_sandbox\n    server ").append(instances.getFirst().name)
                .append(" 127.0.0.1:").append(instances.getFirst().port).append('\n');
        return out.toString();
    }

    /** Waits until haproxy's health checks have both instances of each flow up: requests alternate between them. */
    private void awaitBothUp(String desktop, String web) throws Exception {
        for (String balancer : List.of(desktop, web)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (answeredBy(balancer).size() < 2) {
                assertThat(System.nanoTime()).as("both instances behind %s up; haproxy:%n%s%nservers: %s", balancer,
                        haproxy.log(), answeredBy(balancer)).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static Set<String> answeredBy(String balancer) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(balancer
                    + "/auth/soundcloud/done")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            answer.headers().firstValue("X-Served-By").ifPresent(servers::add);
        }
        return servers;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
