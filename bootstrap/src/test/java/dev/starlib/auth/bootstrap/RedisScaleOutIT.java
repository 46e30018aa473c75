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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
 * token pair for every code, every refresh and every app token grant, so that two calls would show as two pairs):
 * any step of a login may land on either instance, and the two behave as one; so do concurrent refreshes of one
 * token and the app token. Every exchange is checked against the contract.
 */
class RedisScaleOutIT {

    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    private static final String KEY = randomKey();
    private static final String CLIENT_SECRET = "scale-out-secret";
    private static final String INTERNAL_KEY = "scale-out-internal-key-" + "k".repeat(16);
    /**
     * REDIS_TIMEOUT_MS of the instances: a refresh lease then lives 3 s in Redis between renewals (three command
     * timeouts), which {@link #SLOWER_THAN_A_LEASE} outlasts.
     */
    private static final String REDIS_TIMEOUT_MS = "1000";
    private static final int SLOWER_THAN_A_LEASE = 4_500;
    /** The per-client quotas of both instances: one client's flood meets them, as one. */
    private static final int PENDING_PER_CLIENT = 100;
    private static final int CALLBACKS_PER_MINUTE = 10;
    private static final String FRESH_PAIR = "{\"access_token\":\"it-access-{{randomValue length=24 type='ALPHANUMERIC'}}\","
            + "\"refresh_token\":\"it-refresh-{{randomValue length=24 type='ALPHANUMERIC'}}\","
            + "\"expires_in\":3599,\"scope\":\"\"}";

    @TempDir
    static Path workDir;
    private static RedisServer redis;
    private static WireMockServer soundCloud;
    private static final List<ServiceJar> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static ServiceJar a;
    private static ServiceJar b;
    private final CheckedHttp http = new CheckedHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build());

    @BeforeAll
    static void startRedisSoundCloudAndTwoInstances() throws Exception {
        redis = RedisServer.start(workDir.resolve("redis"));
        soundCloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").globalTemplating(true));
        soundCloud.start();
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).atPriority(9).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(FRESH_PAIR)));
        // Refreshes and grants take their time, so that concurrent callers overlap.
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).atPriority(5)
                .withRequestBody(containing("grant_type=refresh_token")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(FRESH_PAIR).withFixedDelay(600)));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).atPriority(5)
                .withRequestBody(containing("grant_type=client_credentials")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(FRESH_PAIR).withFixedDelay(600)));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).atPriority(1)
                .withRequestBody(containing("refresh_token=it-slow-")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(FRESH_PAIR)
                        .withFixedDelay(SLOWER_THAN_A_LEASE)));
        soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"Scale Out User\",\"permalink\":\"so\","
                        + "\"avatar_url\":\"https://i1.sndcdn.com/a.jpg\"}")));
        // Started side by side: each asks for the app token as it starts, at about the same moment.
        ExecutorService starting = Executors.newFixedThreadPool(2);
        try {
            Future<ServiceJar> first = starting.submit(() -> instance("a"));
            Future<ServiceJar> second = starting.submit(() -> instance("b"));
            a = first.get(3, TimeUnit.MINUTES);
            b = second.get(3, TimeUnit.MINUTES);
        } finally {
            starting.shutdownNow();
        }
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

    @Test
    void sixConcurrentRefreshesSplitOverBothInstancesMakeOneUpstreamCallAndGetSixIdenticalPairs() throws Exception {
        String token = "it-old-refresh-" + randomToken();

        List<HttpResponse<String>> answers = refreshConcurrently(token, 6, Duration.ZERO);

        assertOneCallAndOnePair(token, answers);
        HttpResponse<String> again = refresh(b, token);
        assertThat(json(again, 200).get("refresh_token")).as("within the reuse window, on either instance")
                .isEqualTo(json(answers.getFirst(), 200).get("refresh_token"));
        assertThat(refreshCallsWith(token)).as("upstream calls after the reuse").isEqualTo(1);
        assertNothingInClearInRedis(List.of(token, json(again, 200).get("access_token").asText()));
    }

    @Test
    void aRefreshSlowerThanItsLeasesExpiryIsNeverJoinedByASecondUpstreamCall() throws Exception {
        String token = "it-slow-" + randomToken();

        // Three at once, three more once the lease's first expiry (3 s) has passed: all wait for the one call.
        List<HttpResponse<String>> answers = refreshConcurrently(token, 6, Duration.ofMillis(3_500));

        assertOneCallAndOnePair(token, answers);
    }

    @Test
    void theAppTokenAskedOfBothInstancesIsOneGrant() throws Exception {
        List<Future<HttpResponse<String>>> asked = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                ServiceJar instance = i % 2 == 0 ? a : b;
                asked.add(callers.submit(() -> appToken(instance)));
            }
            Set<String> tokens = new HashSet<>();
            for (Future<HttpResponse<String>> answer : asked) {
                tokens.add(json(answer.get(1, TimeUnit.MINUTES), 200).get("access_token").asText());
            }
            assertThat(tokens).as("the app token both instances hand out").hasSize(1);
            assertThat(soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))
                    .withRequestBody(containing("grant_type=client_credentials"))))
                    .as("client-credentials grants SoundCloud saw, for two instances started at once and 8 askers")
                    .hasSize(1);
            assertNothingInClearInRedis(List.copyOf(tokens));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFloodThroughBothInstancesMeetsOneSharedQuotaAndOneSharedRateLimitWhileOthersGoOn() {
        Loopback flood = Loopback.at("127.0.0.7");
        int started = 0;
        int refused = 0;
        for (int i = 0; i < PENDING_PER_CLIENT + 30; i++) {
            HttpResponse<String> answer = flood.get((i % 2 == 0 ? a : b).api() + "/authorize?return_to="
                    + encode(RETURN_TO));
            if (answer.statusCode() == 200) {
                started++;
            } else {
                assertThat(answer.statusCode()).as("/authorize #%d: %s", i, answer.body()).isEqualTo(429);
                assertThat(Loopback.json(answer).get("error").asText()).isEqualTo("too_many_requests");
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                refused++;
            }
        }
        assertThat(started).as("logins one client parked over both instances: PENDING_PER_CLIENT, once")
                .isEqualTo(PENDING_PER_CLIENT);
        assertThat(refused).isEqualTo(30);
        assertThat(Loopback.at("127.0.0.8").get(b.api() + "/authorize?return_to=" + encode(RETURN_TO)).statusCode())
                .as("another client, meanwhile").isEqualTo(200);

        Loopback caller = Loopback.at("127.0.0.9");
        int heard = 0;
        for (int i = 0; i < 2 * CALLBACKS_PER_MINUTE; i++) {
            HttpResponse<String> answer = caller.postJson((i % 2 == 0 ? a : b).api() + "/callback",
                    "{\"code\":\"sc-code-flood\",\"state\":\"" + "s".repeat(43) + "\"}");
            heard += answer.statusCode() == 429 ? 0 : 1;
        }
        assertThat(heard).as("POST /callback answered other than 429 over both instances: RATE_LIMIT_CALLBACK, once")
                .isEqualTo(CALLBACKS_PER_MINUTE);
    }

    /**
     * {@code count} refreshes of {@code token}, alternating between A and B: half at once, the other half
     * {@code secondWaveAfter} later (at once too when zero).
     */
    private List<HttpResponse<String>> refreshConcurrently(String token, int count, Duration secondWaveAfter)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServiceJar instance = i % 2 == 0 ? a : b;
                Duration after = i < count / 2 ? Duration.ZERO : secondWaveAfter;
                futures.add(clients.submit(() -> {
                    go.await();
                    Thread.sleep(after.toMillis());
                    return refresh(instance, token);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get(1, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    private void assertOneCallAndOnePair(String token, List<HttpResponse<String>> answers) throws Exception {
        Set<String> pairs = new HashSet<>();
        for (HttpResponse<String> answer : answers) {
            JsonNode body = json(answer, 200);
            pairs.add(body.get("access_token").asText() + " " + body.get("refresh_token").asText());
        }
        assertThat(pairs).as("the pairs %d refreshes got", answers.size()).hasSize(1);
        assertThat(pairs.iterator().next()).startsWith("it-access-");
        assertThat(refreshCallsWith(token)).as("refresh calls SoundCloud saw with that token").isEqualTo(1);
    }

    private int refreshCallsWith(String token) {
        return soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + token))).size();
    }

    private HttpResponse<String> refresh(ServiceJar instance, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.api() + "/refresh"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + token + "\"}")).build());
    }

    private HttpResponse<String> appToken(ServiceJar instance) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.admin() + "/internal/soundcloud/app-token"))
                .header("Authorization", "Bearer " + INTERNAL_KEY).timeout(Duration.ofSeconds(30)).GET().build());
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
        assertNothingInClearInRedis(List.of());
    }

    /** The same, and none of {@code alsoForbidden} (an old refresh token, an app token) either. */
    private void assertNothingInClearInRedis(List<String> alsoForbidden) {
        List<String> forbidden = new ArrayList<>(List.of("it-access-", "it-refresh-", "sc-code-", "Scale Out User",
                CLIENT_SECRET));
        forbidden.addAll(alsoForbidden);
        soundCloud.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).stream()
                .map(request -> form(request.getBodyAsString()).get("code_verifier"))
                .filter(java.util.Objects::nonNull).limit(5).forEach(forbidden::add);
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
        Map<String, String> environment = ServiceJar.generousRateLimits();
        environment.putAll(Map.of(
                "SESSION_STORE", "redis",
                "REDIS_URL", redis.url(),
                "SESSION_STORE_KEY", KEY,
                "CLIENT_ID", "scale-out-client",
                "CLIENT_SECRET", CLIENT_SECRET,
                "SOUNDCLOUD_AUTH_BASE_URL", upstream,
                "SOUNDCLOUD_API_BASE_URL", upstream));
        environment.put("INTERNAL_API_TOKEN", INTERNAL_KEY);
        environment.put("PENDING_PER_CLIENT", String.valueOf(PENDING_PER_CLIENT));
        environment.put("RATE_LIMIT_CALLBACK", CALLBACKS_PER_MINUTE + "/min");
        environment.put("REDIS_TIMEOUT_MS", REDIS_TIMEOUT_MS);
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

    private static String randomToken() {
        return Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
