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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit under {@code kill -9}: sixteen users run logins against the packaged service on
 * {@code SESSION_STORE=file} (WireMock plays SoundCloud), the service is killed with SIGKILL while they are at it,
 * and after a restart on the same store every step the service acknowledged is still there: a login whose
 * {@code /authorize} was answered can still be completed, a result whose {@code /redirect} was answered is handed
 * out, and one that was picked up is not handed out again. A step in flight at the kill (at most one per user) may
 * have landed or not, and is allowed both ways; no test of timing. Runs after {@code package}, under failsafe.
 */
class ConcurrentKillIT {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String ACCESS_TOKEN = "KILL-LOAD-ACCESS-TOKEN-0b9e";
    private static final int USERS = 16;
    /** Acknowledged steps before the kill: enough that many syncs covered several changes at once. */
    private static final int STEPS_BEFORE_KILL = 400;
    private static final Duration LOAD_WITHIN = Duration.ofMinutes(3);
    private static final Map<String, String> GENEROUS = Map.of(
            "PENDING_PER_CLIENT", "1000000",
            "RATE_LIMIT_AUTHORIZE", "1000000/min",
            "RATE_LIMIT_REDIRECT", "1000000/min",
            "RATE_LIMIT_RESULT", "1000000/min");

    enum Acknowledged { STARTED, FINISHED, PICKED_UP }

    @TempDir
    Path workDir;
    private Path store;
    private WireMockServer soundCloud;
    private final List<ServiceJar> started = new ArrayList<>();
    private final HttpClient load = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final CheckedHttp checked = new CheckedHttp(HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build());
    private String base;

    @BeforeEach
    void startSoundCloud() {
        store = workDir.resolve("sessions");
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"refresh_token\":\"KILL-LOAD-REFRESH"
                                + "\",\"expires_in\":3599,\"scope\":\"\"}")));
        soundCloud.stubFor(get(urlEqualTo("/me"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"Kill Load\","
                                + "\"permalink\":\"kill-load\",\"avatar_url\":\"https://i1.sndcdn.com/a.jpg\"}")));
    }

    @AfterEach
    void killEverything() {
        ServiceJar.closeAll(started);
        if (soundCloud != null) {
            soundCloud.stop();
        }
    }

    @Test
    void everyStepAcknowledgedBeforeAKillUnderLoadSurvivesIt() throws Exception {
        ServiceJar first = startService();
        Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        Map<String, Acknowledged> sent = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> users = new ArrayList<>();
        List<Throwable> surprises = new ArrayList<>();
        for (int user = 0; user < USERS; user++) {
            users.add(Thread.ofVirtual().start(() -> {
                try {
                    runLogins(acknowledged, sent, stop);
                } catch (IOException killed) {
                    // The service went away under this user: what it had answered is what counts.
                } catch (Throwable e) {
                    synchronized (surprises) {
                        surprises.add(e);
                    }
                }
            }));
        }
        Instant deadline = Instant.now().plus(LOAD_WITHIN);
        while (acknowledged.size() < STEPS_BEFORE_KILL && Instant.now().isBefore(deadline) && surprises.isEmpty()) {
            Thread.sleep(20);
        }
        assertThat(surprises).as("answers before the kill").isEmpty();
        assertThat(acknowledged).as("logins acknowledged within " + LOAD_WITHIN).hasSizeGreaterThanOrEqualTo(
                STEPS_BEFORE_KILL);

        first.kill(); // while the users are still sending
        stop.set(true);
        for (Thread user : users) {
            user.join(Duration.ofSeconds(60));
        }
        assertThat(surprises).as("answers before the kill").isEmpty();
        Map<Acknowledged, Long> byStep = new java.util.EnumMap<>(Acknowledged.class);
        acknowledged.values().forEach(step -> byStep.merge(step, 1L, Long::sum));
        System.out.println("acknowledged before the kill: " + byStep);
        assertThat(byStep).as("the kill found logins in every stage").containsOnlyKeys(Acknowledged.values());

        startService();
        for (Map.Entry<String, Acknowledged> entry : acknowledged.entrySet()) {
            String state = entry.getKey();
            // Whether the user's next step for this login was on its way when the service died.
            boolean nextInFlight = sent.get(state) != entry.getValue();
            switch (entry.getValue()) {
                case STARTED -> {
                    HttpResponse<String> redirect = checked.send(request("/redirect?code=after-kill&state=" + state));
                    if (nextInFlight && redirect.statusCode() == 400) {
                        assertThat(redirect.body()).as("a /redirect in flight at the kill landed").contains("completed");
                    } else {
                        assertThat(redirect.statusCode()).as("a login started before the kill completes: %s",
                                redirect.body()).isEqualTo(303);
                    }
                }
                case FINISHED -> {
                    HttpResponse<String> pickUp = checked.send(request("/result?state=" + state));
                    if (!(nextInFlight && pickUp.statusCode() == 410)) {
                        JsonNode result = json(pickUp, 200);
                        assertThat(result.get("access_token").asText()).isEqualTo(ACCESS_TOKEN);
                    }
                }
                case PICKED_UP -> assertThat(checked.send(request("/result?state=" + state)).statusCode())
                        .as("a result picked up before the kill is not handed out again").isEqualTo(410);
            }
        }
    }

    /** One user: logins one after another, some left pending, some finished and not picked up. */
    private void runLogins(Map<String, Acknowledged> acknowledged, Map<String, Acknowledged> sent, AtomicBoolean stop)
            throws IOException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            HttpResponse<String> authorize = send("/authorize?return_to=" + RETURN_TO);
            assertThat(authorize.statusCode()).as("/authorize: %s", authorize.body()).isEqualTo(200);
            String state = OAuthWire.json(authorize, 200).get("state").asText();
            sent.put(state, Acknowledged.STARTED);
            acknowledged.put(state, Acknowledged.STARTED);
            if (random.nextInt(4) == 0) {
                continue;
            }
            sent.put(state, Acknowledged.FINISHED);
            HttpResponse<String> redirect = send("/redirect?code=code-" + random.nextLong() + "&state=" + state);
            assertThat(redirect.statusCode()).as("/redirect: %s", redirect.body()).isEqualTo(303);
            acknowledged.put(state, Acknowledged.FINISHED);
            if (random.nextInt(3) == 0) {
                continue;
            }
            sent.put(state, Acknowledged.PICKED_UP);
            HttpResponse<String> result = send("/result?state=" + state);
            assertThat(result.statusCode()).as("/result: %s", result.body()).isEqualTo(200);
            acknowledged.put(state, Acknowledged.PICKED_UP);
        }
    }

    private HttpResponse<String> send(String path) throws IOException, InterruptedException {
        return load.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    // --- the child process ----------------------------------------------------------------------------

    private ServiceJar startService() throws Exception {
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        Map<String, String> environment = new HashMap<>(Map.of(
                "SESSION_STORE", "file",
                "SESSION_STORE_PATH", store.toString(),
                "SESSION_STORE_CAPACITY", "1000000",
                "CLIENT_ID", "kill-load-client",
                "CLIENT_SECRET", "kill-load-secret",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream,
                "SOUNDCLOUD_TIMEOUT_MS", "20000"));
        environment.putAll(GENEROUS);
        ServiceJar service = ServiceJar.start(workDir, "service-" + started.size(), environment);
        started.add(service);
        base = service.api();
        return service;
    }
}
