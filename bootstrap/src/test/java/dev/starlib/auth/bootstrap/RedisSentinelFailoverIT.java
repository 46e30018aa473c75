package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.starlib.auth.store.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentinel: a primary, a replica and three sentinels on loopback; two packaged instances find the primary through
 * {@code redis-sentinel://} and confirm every change with one replica ({@code REDIS_WAIT_REPLICAS=1}). Logins run
 * continuously on both while the primary is killed with SIGKILL. What decision 0010 promises: every login a
 * client was told about before the kill (an {@code /authorize} answer, a {@code /redirect} 303) is still there after
 * the failover, and logins go on without a restart.
 */
class RedisSentinelFailoverIT {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String MASTER = "starlib";
    private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path workDir;
    private final List<RedisServer> redis = new ArrayList<>();
    private final List<ServiceJar> services = new ArrayList<>();
    private WireMockServer soundCloud;
    private final CheckedHttp http = new CheckedHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build());

    @BeforeEach
    void startSoundCloud() {
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"failover-access\",\"refresh_token\":\"failover-refresh\",\"expires_in\":3599}")));
        soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"urn\":\"soundcloud:users:7\",\"username\":\"Failover User\"}")));
    }

    @AfterEach
    void stopEverything() {
        ServiceJar.closeAll(services);
        redis.forEach(RedisServer::close);
        soundCloud.stop();
    }

    @Test
    void acknowledgedLoginsSurviveThePrimarysDeathAndLoginsGoOnWithoutARestart() throws Exception {
        RedisServer primary = add(RedisServer.start(workDir.resolve("primary")));
        RedisServer replica = add(RedisServer.replicaOf(workDir.resolve("replica"), primary));
        List<RedisServer> sentinels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sentinels.add(add(RedisServer.sentinel(workDir.resolve("sentinel-" + i), MASTER, primary, 2,
                    Duration.ofMillis(1_000))));
        }
        awaitReplicaInSync(replica);
        String url = "redis-sentinel://" + String.join(",", sentinels.stream()
                .map(s -> "127.0.0.1:" + s.port()).toList()) + "#" + MASTER;
        ServiceJar a = instance("a", url);
        ServiceJar b = instance("b", url);

        Logins logins = new Logins(List.of(a, b));
        Thread running = Thread.ofPlatform().name("logins").start(logins::runUntilStopped);
        logins.awaitCompleted(20);

        long killedAt = System.nanoTime();
        primary.kill();
        int completedAtKill = logins.completed.get();
        List<String> finishedBeforeKill = List.copyOf(logins.finished);
        List<String> startedBeforeKill = List.copyOf(logins.started);

        Instant deadline = Instant.now().plus(FAILOVER_WITHIN);
        while (!replica.cli("ROLE").startsWith("master")) {
            assertThat(Instant.now()).as("Sentinel promoted the replica within %s", FAILOVER_WITHIN).isBefore(deadline);
            Thread.sleep(200);
        }
        long promotedAt = System.nanoTime();
        logins.awaitCompleted(completedAtKill + 20);
        logins.stop();
        System.out.printf("failover: replica promoted %d ms after the kill, logins again after %d ms; %d answers "
                        + "were 503 store_unavailable meanwhile; %d results and %d started logins to check%n",
                (promotedAt - killedAt) / 1_000_000, (System.nanoTime() - killedAt) / 1_000_000, logins.refused.get(),
                finishedBeforeKill.size(), logins.deferred(startedBeforeKill).size());
        running.join(Duration.ofSeconds(60));

        assertThat(logins.completed.get()).isGreaterThanOrEqualTo(completedAtKill + 20);
        assertThat(logins.unexpected).as("answers other than 503 store_unavailable during the failover").isEmpty();
        // Acknowledged results (the loop never picks them up) are all handed out now, once each.
        assertThat(finishedBeforeKill).hasSizeGreaterThanOrEqualTo(20);
        for (String state : finishedBeforeKill) {
            HttpResponse<String> result = send(a, "/result?state=" + state);
            assertThat(result.statusCode()).as("result of a login finished before the kill: %s", result.body())
                    .isEqualTo(200);
            assertThat(send(b, "/result?state=" + state).statusCode()).isEqualTo(410);
        }
        // Acknowledged starts whose redirect was kept back until now still complete.
        for (String state : logins.deferred(startedBeforeKill)) {
            HttpResponse<String> redirect = send(b, "/redirect?code=late-" + state.substring(0, 6) + "&state=" + state);
            assertThat(redirect.statusCode()).as("late /redirect of a login started before the kill: %s",
                    redirect.body()).isEqualTo(303);
            assertThat(json(send(a, "/result?state=" + state), 200).get("access_token").asText())
                    .isEqualTo("failover-access");
        }
        assertThat(logins.deferred(startedBeforeKill)).isNotEmpty();
        assertThat(a.log()).contains("reconnected to Redis");
    }

    /**
     * A user loop on both instances. Each round starts two logins; one runs to its 303 (its result is left for the
     * end of the test), the other is only started and its redirect kept back. 503s are counted, anything else
     * unexpected is kept.
     */
    private final class Logins {
        final List<ServiceJar> instances;
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> finished = new CopyOnWriteArrayList<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final java.util.Set<String> deferredStates = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private int round;

        Logins(List<ServiceJar> instances) {
            this.instances = instances;
        }

        void runUntilStopped() {
            while (!stop.get()) {
                ServiceJar on = instances.get(round++ % instances.size());
                try {
                    String kept = round % 4 == 1 ? authorize(on) : null;
                    if (kept != null) {
                        started.add(kept);
                        deferredStates.add(kept);
                    }
                    String state = authorize(on);
                    if (state == null) {
                        continue;
                    }
                    HttpResponse<String> redirect = send(other(on), "/redirect?code=c-" + state.substring(0, 6)
                            + "&state=" + state);
                    if (redirect.statusCode() == 303) {
                        finished.add(state);
                        completed.incrementAndGet();
                    } else {
                        note(redirect);
                    }
                } catch (Exception e) {
                    unexpected.add(e.toString());
                }
            }
        }

        private String authorize(ServiceJar on) throws Exception {
            HttpResponse<String> answer = send(on, "/authorize?return_to=" + URLEncoder.encode(RETURN_TO,
                    StandardCharsets.UTF_8));
            if (answer.statusCode() == 200) {
                return json(answer, 200).get("state").asText();
            }
            note(answer);
            return null;
        }

        private void note(HttpResponse<String> answer) {
            if (answer.statusCode() == 503 && answer.body().contains("store_unavailable")) {
                refused.incrementAndGet();
            } else {
                unexpected.add(answer.statusCode() + " " + answer.body());
            }
        }

        ServiceJar other(ServiceJar on) {
            return instances.get((instances.indexOf(on) + 1) % instances.size());
        }

        List<String> deferred(List<String> states) {
            return states.stream().filter(deferredStates::contains).toList();
        }

        void awaitCompleted(int count) throws InterruptedException {
            Instant deadline = Instant.now().plus(FAILOVER_WITHIN);
            while (completed.get() < count) {
                assertThat(Instant.now()).as("%d logins completed (%d so far, %d refused; unexpected: %s)", count,
                        completed.get(), refused.get(), unexpected).isBefore(deadline);
                Thread.sleep(50);
            }
        }

        void stop() {
            stop.set(true);
        }
    }

    private static void awaitReplicaInSync(RedisServer replica) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!replica.cli("INFO", "replication").contains("master_link_status:up")) {
            assertThat(Instant.now()).as("the replica syncs with the primary").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private ServiceJar instance(String name, String url) throws Exception {
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        Map<String, String> environment = ServiceJar.generousRateLimits();
        environment.putAll(Map.of(
                "SESSION_STORE", "redis",
                "REDIS_URL", url,
                "REDIS_WAIT_REPLICAS", "1",
                "REDIS_TIMEOUT_MS", "1000",
                "SESSION_STORE_KEY", KEY,
                "CLIENT_ID", "failover-client",
                "CLIENT_SECRET", "failover-secret",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream));
        // The logins run in a loop from one client: far more than PENDING_PER_CLIENT would wait at once otherwise.
        environment.put("PENDING_PER_CLIENT", "100000");
        ServiceJar service = ServiceJar.start(workDir, name, environment);
        services.add(service);
        return service;
    }

    private RedisServer add(RedisServer server) {
        redis.add(server);
        return server;
    }

    private HttpResponse<String> send(ServiceJar instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.api() + path)).timeout(Duration.ofSeconds(30))
                .GET().build());
    }

    private static final String KEY = randomKey();

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
