package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.OperatorSignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each fair-share rule through the real server, with loopback addresses playing clients: the pending quota, who
 * the client is behind a trusted proxy (and that a spoofed X-Forwarded-For is ignored elsewhere), a rate limit
 * on /refresh, pickups bound to their client, and the admin password guessing back-off.
 */
class FairShareTest {

    private static final String PROXY = "127.0.0.9";

    @TempDir
    static Path workDir;
    private static RunningService service;
    private static String api;

    @BeforeAll
    static void start() {
        service = RunningService.start(workDir, Map.of(
                "PENDING_PER_CLIENT", "3",
                "RATE_LIMIT_AUTHORIZE", "1000/min",
                "RATE_LIMIT_REFRESH", "2/min",
                "RATE_LIMIT_SIGN_OUT", "2/min",
                "TRUSTED_PROXIES", PROXY + "/32",
                "PICKUP_BINDING", "client"));
        service.soundCloudApproves();
        service.soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\"}")));
        service.soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(aResponse().withStatus(200)));
        api = service.publicBase() + "/auth/soundcloud";
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void clientAtItsPendingQuotaWaitsWhileOthersStartAndAFinishedLoginFreesItsPlace() {
        Loopback household = Loopback.at("127.0.0.20");
        List<String> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            states.add(Loopback.json(household.get(api + "/authorize")).get("state").asText());
        }

        HttpResponse<String> refused = household.get(api + "/authorize");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Loopback.json(refused).get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(590L, 600L);
        assertThat(Loopback.at("127.0.0.21").get(api + "/authorize").statusCode()).isEqualTo(200);

        assertThat(household.get(api + "/redirect?code=sc-code&state=" + states.getFirst()).statusCode()).isEqualTo(303);
        assertThat(household.get(api + "/authorize").statusCode()).isEqualTo(200);
        assertThat(household.get(api + "/authorize").statusCode()).isEqualTo(429);
    }

    @Test
    void spoofedForwardedForFromAnUntrustedPeerIsIgnored() {
        Loopback spoofer = Loopback.at("127.0.0.22");
        for (int i = 0; i < 3; i++) {
            assertThat(spoofer.get(api + "/authorize", "X-Forwarded-For", "198.51.100." + i).statusCode()).isEqualTo(200);
        }

        assertThat(spoofer.get(api + "/authorize", "X-Forwarded-For", "198.51.100.99").statusCode()).isEqualTo(429);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnShareAndCannotChooseIt() {
        Loopback proxy = Loopback.at(PROXY);
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.get(api + "/authorize", "X-Forwarded-For", "198.51.100.30").statusCode()).isEqualTo(200);
        }

        assertThat(proxy.get(api + "/authorize", "X-Forwarded-For", "198.51.100.30").statusCode()).isEqualTo(429);
        // What the client wrote itself sits left of what the proxy appended: the proxy's entry decides.
        assertThat(proxy.get(api + "/authorize", "X-Forwarded-For", "203.0.113.1, 198.51.100.30").statusCode())
                .isEqualTo(429);
        assertThat(proxy.get(api + "/authorize", "X-Forwarded-For", "198.51.100.31").statusCode()).isEqualTo(200);
    }

    @Test
    void refreshBeyondItsBudgetIsRefusedWithRetryAfter() {
        Loopback app = Loopback.at("127.0.0.23");
        assertThat(app.postJson(api + "/refresh", "{\"refresh_token\":\"dead-1\"}").statusCode()).isEqualTo(401);
        assertThat(app.postJson(api + "/refresh", "{\"refresh_token\":\"dead-2\"}").statusCode()).isEqualTo(401);

        HttpResponse<String> refused = app.postJson(api + "/refresh", "{\"refresh_token\":\"dead-3\"}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        assertThat(Loopback.at("127.0.0.24").postJson(api + "/refresh", "{\"refresh_token\":\"dead-4\"}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void signOutBeyondItsBudgetIsRefusedWithRetryAfterAndSoundCloudIsNotAsked() {
        Loopback app = Loopback.at("127.0.0.27");
        assertThat(app.postJson(api + "/sign-out", "{\"access_token\":\"access-a\"}").statusCode()).isEqualTo(204);
        assertThat(app.postJson(api + "/sign-out", "{\"access_token\":\"access-b\"}").statusCode()).isEqualTo(204);
        int asked = service.soundCloud.findAll(postRequestedFor(urlEqualTo("/sign-out"))).size();

        HttpResponse<String> refused = app.postJson(api + "/sign-out", "{\"access_token\":\"access-c\"}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Loopback.json(refused).get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        assertThat(service.soundCloud.findAll(postRequestedFor(urlEqualTo("/sign-out")))).hasSize(asked);
        assertThat(Loopback.at("127.0.0.28").postJson(api + "/sign-out", "{\"access_token\":\"access-d\"}")
                .statusCode()).isEqualTo(204);
    }

    @Test
    void boundPickupIsRefusedToAnotherClientAndLeftForTheOneThatStarted() {
        Loopback victim = Loopback.at("127.0.0.25");
        Loopback attacker = Loopback.at("127.0.0.26");
        String state = Loopback.json(attacker.get(api + "/authorize")).get("state").asText();
        // The attacker approved the login and sends the victim the /redirect link; the victim's browser follows it.
        assertThat(victim.get(api + "/redirect?code=sc-code&state=" + state).statusCode()).isEqualTo(303);

        HttpResponse<String> refused = victim.get(api + "/result?state=" + state);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Loopback.json(refused).get("error").asText()).isEqualTo("client_mismatch");
        assertThat(refused.body()).doesNotContain(state, "access-1");
        assertThat(attacker.get(api + "/result?state=" + state).statusCode()).isEqualTo(200);
    }

    @Test
    void guessingTheAdminPasswordStallsTheGuesserWhileOperatorsElsewhereGetIn() {
        List<LogRecord> warnings = new ArrayList<>();
        Logger log = Logger.getLogger(OperatorSignIn.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            Loopback guesser = Loopback.at("127.0.0.27");
            String admin = service.adminBase() + "/admin";
            for (int i = 1; i <= 4; i++) {
                assertThat(guesser.get(admin, RunningService.basic(RunningService.ADMIN_USER, "guess-" + i)).statusCode())
                        .as("wrong password %d", i).isEqualTo(401);
            }
            HttpResponse<String> stalled = guesser.get(admin, RunningService.basic(RunningService.ADMIN_USER, "guess-5"));
            assertThat(stalled.statusCode()).isEqualTo(429);
            assertThat(stalled.headers().firstValue("Retry-After")).hasValue("1");
            // While it waits, even the right password from the guesser's address is not heard.
            assertThat(guesser.get(admin, RunningService.admin()).statusCode()).isEqualTo(429);
            assertThat(Loopback.at("127.0.0.28").get(admin, RunningService.admin()).statusCode()).isEqualTo(200);
            for (int i = 6; i <= 8; i++) {
                guesser.get(admin, RunningService.basic(RunningService.ADMIN_USER, "guess-" + i));
            }

            assertThat(warnings).hasSize(1);
            String line = warnings.getFirst().getMessage();
            assertThat(line).contains("127.0.0.*").doesNotContain("127.0.0.27", "guess-", RunningService.ADMIN_PASSWORD);
        } finally {
            log.removeHandler(capture);
        }
    }
}
