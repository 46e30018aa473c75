package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logins and refreshes through the public API, spread over the last minutes of the hour with the service's clock
 * shifted back, so the dashboard's charts have something in several minutes: successes, denials, refused codes and
 * refresh tokens, and SoundCloud taking 20 to 160 ms.
 */
final class TrafficOverTheLastHour {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MINUTES = 8;
    private static final String CALLBACK = "http://localhost:3000/auth/soundcloud/callback";

    private final RunningService service;
    private final ShiftedClock clock;

    TrafficOverTheLastHour(RunningService service, ShiftedClock clock) {
        this.service = service;
        this.clock = clock;
    }

    int minutesWithLogins() {
        return MINUTES;
    }

    int minutesWithRefreshes() {
        return MINUTES / 2;
    }

    void play() throws IOException {
        stubSoundCloud();
        for (int i = 0; i < MINUTES; i++) {
            clock.shiftBy(Duration.ofMinutes(-(MINUTES - 1 - i)));
            for (int n = 0; n <= i % 3; n++) {
                login("good-code-" + i + "-" + n, 303);
            }
            if (i % 3 == 1) {
                login("bad-code-" + i, 303);
            }
            if (i % 4 == 2) {
                denied();
            }
            if (i % 2 == 0) {
                refresh("good-refresh", 200);
                if (i % 4 == 0) {
                    refresh("revoked-refresh", 401);
                }
            }
        }
        clock.shiftBy(Duration.ZERO);
    }

    private void stubSoundCloud() {
        var soundCloud = service.soundCloud;
        String tokens = "{\"access_token\":\"access-t\",\"refresh_token\":\"refresh-t\",\"expires_in\":3599}";
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("code=good-code"))
                .willReturn(aResponse().withStatus(200).withUniformRandomDelay(20, 160)
                        .withHeader("Content-Type", "application/json").withBody(tokens)));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("code=bad-code"))
                .willReturn(aResponse().withStatus(400).withUniformRandomDelay(20, 60)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=good-refresh"))
                .willReturn(aResponse().withStatus(200).withUniformRandomDelay(20, 100)
                        .withHeader("Content-Type", "application/json").withBody(tokens)));
        soundCloud.stubFor(post(urlEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=revoked-refresh"))
                .willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        soundCloud.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withStatus(200).withUniformRandomDelay(10, 60)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"urn\":\"soundcloud:users:4242\",\"username\":\"dj test\",\"permalink\":\"dj-test\","
                        + "\"avatar_url\":\"https://i1.sndcdn.com/avatars-1.jpg\"}")));
    }

    private String start() throws IOException {
        return JSON.readTree(service.fetch(service.publicBase() + "/auth/soundcloud/authorize?return_to=" + CALLBACK)
                .body()).get("state").asText();
    }

    private void login(String code, int status) throws IOException {
        String state = start();
        assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/redirect?code=" + code + "&state=" + state)
                .statusCode()).isEqualTo(status);
    }

    private void denied() throws IOException {
        String state = start();
        assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/redirect?error=access_denied&state=" + state)
                .statusCode()).isEqualTo(303);
    }

    private void refresh(String token, int status) {
        assertThat(service.submit(service.publicBase() + "/auth/soundcloud/refresh", "application/json",
                "{\"refresh_token\":\"" + token + "\"}").statusCode()).isEqualTo(status);
    }
}
