package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.starlib.auth.store.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.starlib.auth.bootstrap.OAuthWire.form;
import static dev.starlib.auth.bootstrap.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged instances ({@code starlib-auth.jar}) on one real Redis, with WireMock playing SoundCloud (a fresh
 * token pair for every code): any step of a login may land on either instance, and the two behave as one.
 * Every exchange is checked against the contract.
 */
class RedisScaleOutIT {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String KEY = randomKey();

    @TempDir
    static Path workDir;
    private static RedisServer redis;
    private static WireMockServer soundCloud;
    private static final List<ServiceJar> services = new ArrayList<>();
    private static ServiceJar a;
    private static ServiceJar b;
    private final CheckedHttp http = new CheckedHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build());

    @BeforeAll
    static void startRedisSoundCloudAndTwoInstances() throws Exception {
        redis = RedisServer.start(workDir.resolve("redis"));
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").globalTemplating(true));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"it-access-{{randomValue length=24 type='ALPHANUMERIC'}}\","
                        + "\"refresh_token\":\"it-refresh-{{randomValue length=24 type='ALPHANUMERIC'}}\","
                        + "\"expires_in\":3599,\"scope\":\"\"}")));
        soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"Scale Out User\",\"permalink\":\"so\","
                        + "\"avatar_url\":\"https://i1.sndcdn.com/a.jpg\"}")));
        a = instance("a");
        b = instance("b");
    }

    @AfterAll
    static void stopEverything() {
        ServiceJar.closeAll(services);
        if (soundCloud != null) {
            soundCloud.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void loginStartedOnOneInstanceIsCompletedOnTheOtherAndHandedOutOnce() throws Exception {
        JsonNode authorization = json(send(a, "/authorize?return_to=" + encode(RETURN_TO)), 200);
        String state = authorization.get("state").asText();

        HttpResponse<String> redirect = send(b, "/redirect?code=sc-code-ab&state=" + state);
        assertThat(redirect.statusCode()).as("/redirect on B: %s", redirect.body()).isEqualTo(303);
        assertThat(redirect.headers().firstValue("Location")).contains(RETURN_TO + "?state=" + state);
        JsonNode result = json(send(a, "/result?state=" + state), 200);
        assertThat(result.get("access_token").asText()).startsWith("it-access-");

        HttpResponse<String> again = send(b, "/result?state=" + state);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(json(again, 410).get("error").asText()).isEqualTo("already_picked_up");
        assertThat(send(a, "/redirect?code=sc-code-ab&state=" + state).statusCode())
                .as("a replayed state on A, after B used it").isEqualTo(400);
    }

    @Test
    void sixtyConcurrentLoginsWithEveryStepOnARandomInstanceAreAllHandedOutOnce() throws Exception {
        int logins = 60;
        ExecutorService users = Executors.newFixedThreadPool(logins);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                int login = i;
                outcomes.add(users.submit(() -> oneLoginOnRandomInstances(login)));
            }
            Set<String> accessTokens = new HashSet<>();
            for (Future<String> outcome : outcomes) {
                accessTokens.add(outcome.get(3, TimeUnit.MINUTES));
            }
            assertThat(accessTokens).as("one distinct token pair per login: none lost, none crossed").hasSize(logins);
        } finally {
            users.shutdownNow();
        }
        assertNothingInClearInRedis();
    }

    @Test
    void instanceKilledAfterItsRedirectLeavesTheResultToTheOther() throws Exception {
        ServiceJar doomed = instance("doomed");
        String state = json(send(doomed, "/authorize?return_to=" + encode(RETURN_TO)), 200).get("state").asText();
        assertThat(send(doomed, "/redirect?code=sc-code-kill&state=" + state).statusCode()).isEqualTo(303);

        doomed.kill();

        JsonNode result = json(send(b, "/result?state=" + state), 200);
        assertThat(result.get("refresh_token").asText()).startsWith("it-refresh-");
        assertThat(send(a, "/result?state=" + state).statusCode()).isEqualTo(410);
    }

    /** authorize, redirect, a premature and a real pickup, a second pickup: each on A or B at random. */
    private String oneLoginOnRandomInstances(int login) throws Exception {
        String state = json(send(random(), "/authorize?return_to=" + encode(RETURN_TO)), 200).get("state").asText();
        assertThat(send(random(), "/result?state=" + state).statusCode()).as("before SoundCloud sent the user back")
                .isEqualTo(404);
        HttpResponse<String> redirect = send(random(), "/redirect?code=sc-code-" + login + "&state=" + state);
        assertThat(redirect.statusCode()).as("login %d's /redirect: %s", login, redirect.body()).isEqualTo(303);
        JsonNode result = json(send(random(), "/result?state=" + state), 200);
        assertThat(send(random(), "/result?state=" + state).statusCode()).as("login %d's second pickup", login)
                .isEqualTo(410);
        return result.get("access_token").asText();
    }

    /** Every key and value, as redis-cli DUMPs them: no code, verifier, state or token in clear. */
    private void assertNothingInClearInRedis() {
        List<String> forbidden = new ArrayList<>(List.of("it-access-", "it-refresh-", "sc-code-", "Scale Out User"));
        soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).stream()
                .map(request -> form(request.getBodyAsString()).get("code_verifier"))
                .limit(5).forEach(forbidden::add);
        List<String> keys = Arrays.stream(redis.cli("--scan").split("\n")).map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
        assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(key).startsWith("starlib:{auth}:"));
        for (String key : keys) {
            String dumped = redis.cli("--no-raw", "DUMP", key);
            for (String secret : forbidden) {
                assertThat(dumped).as("DUMP %s", key).doesNotContain(secret);
            }
        }
    }

    private static ServiceJar instance(String name) throws Exception {
        String upstream = "http://127.0.0.1:" + soundCloud.port();
        Map<String, String> environment = new HashMap<>(Map.of(
                "SESSION_STORE", "redis",
                "REDIS_URL", redis.url(),
                "SESSION_STORE_KEY", KEY,
                "CLIENT_ID", "scale-out-client",
                "CLIENT_SECRET", "scale-out-secret",
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream));
        ServiceJar service = ServiceJar.start(workDir, name, environment);
        services.add(service);
        return service;
    }

    private static ServiceJar random() {
        return ThreadLocalRandom.current().nextBoolean() ? a : b;
    }

    private HttpResponse<String> send(ServiceJar instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.api() + path)).timeout(Duration.ofSeconds(30))
                .GET().build());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
