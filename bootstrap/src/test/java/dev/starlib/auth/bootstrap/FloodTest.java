package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when", with the default settings: one address flooding /authorize is refused after its
 * budget (60 at once), while users at other addresses sign in normally; a desktop app polling /result is never
 * limited. The service's clock stands still, so that no budget refills while the test runs: on a busy machine
 * the 60 requests took more than the second in which one more is earned (61 admitted).
 */
class FloodTest {

    @TempDir
    static Path workDir;
    private static RunningService service;
    private static String api;

    @BeforeAll
    static void start() {
        service = RunningService.start(workDir, Map.of(), Clock.fixed(Instant.now(), ZoneOffset.UTC));
        service.soundCloudApproves();
        api = service.publicBase() + "/auth/soundcloud";
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void floodFromOneAddressIsRefusedAfterItsBudgetWhileOthersSignInNormally() {
        Loopback flood = Loopback.at("127.0.0.2");
        int admitted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> response = flood.get(api + "/authorize");
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                admitted++;
            }
        }

        assertThat(admitted).isEqualTo(60);
        assertThat(refused).isNotNull();
        assertThat(Loopback.json(refused).get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        for (String user : new String[]{"127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
            HttpResponse<String> signedIn = Loopback.at(user).signIn(api);
            assertThat(signedIn.statusCode()).as("sign-in from %s", user).isEqualTo(200);
            assertThat(Loopback.json(signedIn).get("access_token").asText()).isEqualTo("access-1");
        }
        assertThat(flood.get(api + "/authorize").statusCode()).isEqualTo(429);
    }

    @Test
    void desktopAppPollingFromSeveralWindowsIsNeverLimited() {
        Loopback desktop = Loopback.at("127.0.0.6");
        String[] windows = new String[3];
        for (int w = 0; w < windows.length; w++) {
            windows[w] = Loopback.json(desktop.get(api + "/authorize")).get("state").asText();
        }
        // Five minutes of polling every 1.5 s is 200 polls a window; here they come back to back, which is harder.
        for (int poll = 0; poll < 200; poll++) {
            for (String state : windows) {
                HttpResponse<String> pending = desktop.get(api + "/result?state=" + state);
                assertThat(pending.statusCode()).as("poll %d", poll).isEqualTo(404);
            }
        }
        HttpResponse<String> back = desktop.get(api + "/redirect?code=sc-code&state=" + windows[0]);
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(desktop.get(api + "/result?state=" + windows[0]).statusCode()).isEqualTo(200);
    }

    @Test
    void limitedClientsAreCountedAndShownMaskedToOperators() {
        Loopback flood = Loopback.at("127.0.0.7");
        for (int i = 0; i < 70; i++) {
            flood.get(api + "/authorize");
        }

        String metrics = service.fetch(service.adminBase() + "/observe/metrics").body();
        assertThat(metrics).containsPattern(
                "starlib_rate_limited_total\\{[^}]*endpoint=\"authorize\"[^}]*reason=\"rate\"[^}]*} [1-9]");
        String dashboard = service.fetch(service.adminBase() + "/admin", RunningService.admin()).body();
        assertThat(dashboard).contains("Limited clients", "127.0.0.*").doesNotContain("127.0.0.7");
    }
}
