package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's visit, in a real headless Chromium: refused without credentials, then the dashboard, a login
 * started through the public API appearing by itself, and its cancellation confirmed. Screenshots land in
 * {@code bootstrap/target/screenshots/}.
 */
class AdminDashboardBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;
    private final ShiftedClock clock = new ShiftedClock();
    private RunningService service;
    private HeadlessChromium chromium;

    @BeforeEach
    void start() {
        service = RunningService.start(workDir, Map.of(), clock);
        chromium = HeadlessChromium.start(workDir);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        service.close();
    }

    @Test
    void operatorSeesAPendingLoginAppearCancelsItAndSeesTheConfirmation() throws IOException {
        String finished = completeOneLogin();
        String dashboard = service.adminBase() + "/admin";
        chromium.driver.get(dashboard);
        // Chromium meets the Basic challenge with its sign-in prompt, which headless cannot show: nothing renders.
        assertThat(chromium.driver.getTitle()).isNotEqualTo("Operations · Starlib");
        assertThat(chromium.driver.getPageSource()).doesNotContain("Sessions", "admin-test-client");

        chromium.sendBasicCredentials(RunningService.ADMIN_USER, RunningService.ADMIN_PASSWORD);
        chromium.driver.get(dashboard);
        assertThat(chromium.driver.getTitle()).isEqualTo("Operations · Starlib");
        assertThat(text("#readiness")).isEqualTo("Ready");
        assertThat(text("#sessions")).doesNotContain("pending");
        assertThat(text("#recent-logins")).contains(finished.substring(0, 8) + "…", "backend redirect", "success")
                .doesNotContain(finished);
        assertThat(text("#soundcloud")).startsWith("SoundCloud: answering");

        String state = JSON.readTree(service.fetch(service.publicBase() + "/auth/soundcloud/authorize"
                + "?return_to=http://localhost:3000/auth/soundcloud/callback").body()).get("state").asText();
        String hint = state.substring(0, 8);

        // No reload from the test: the page's own refresh brings the new session in.
        WebElement row = waitUpTo(Duration.ofSeconds(15)).until(driver ->
                driver.findElement(By.cssSelector("tr[data-state-hint='" + hint + "']")));
        assertThat(row.getText()).contains(hint + "…", "pending", "http://localhost:3000").doesNotContain(state);
        chromium.screenshot(SCREENSHOTS.resolve("admin-dashboard-pending.png"));

        waitUpTo(Duration.ofSeconds(10)).until(driver -> {
            driver.findElement(By.cssSelector("button[data-cancel='" + hint + "']")).click();
            return true;
        });

        String notice = waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("notice")).getText());
        assertThat(notice).startsWith("Cancelled the pending sign-in " + hint);
        assertThat(text("#sessions")).doesNotContain(hint + "…");
        Path shot = chromium.screenshot(SCREENSHOTS.resolve("admin-dashboard-cancelled.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);

        // The cancelled login is gone for SoundCloud's redirect too.
        assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/redirect?code=c&state=" + state,
                "Accept", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void theLastHourShowsAsChartsWithTheTrafficInThem() throws IOException {
        TrafficOverTheLastHour traffic = new TrafficOverTheLastHour(service, clock);
        traffic.play();

        chromium.sendBasicCredentials(RunningService.ADMIN_USER, RunningService.ADMIN_PASSWORD);
        chromium.driver.get(service.adminBase() + "/admin");

        WebElement trends = chromium.driver.findElement(By.id("trends"));
        assertThat(trends.findElements(By.cssSelector("#chart-logins rect.bar")))
                .hasSizeGreaterThanOrEqualTo(traffic.minutesWithLogins());
        assertThat(text("#chart-logins .legend")).contains("success", "access_denied", "invalid_grant");
        assertThat(trends.findElements(By.cssSelector("#chart-refreshes rect.bar"))).hasSizeGreaterThanOrEqualTo(
                traffic.minutesWithRefreshes());
        assertThat(text("#chart-refreshes .legend")).contains("success", "invalid_grant");
        assertThat(trends.findElements(By.cssSelector("#chart-latency circle.point")))
                .hasSizeGreaterThanOrEqualTo(2 * traffic.minutesWithLogins());
        assertThat(trends.findElements(By.cssSelector("#chart-latency polyline"))).isNotEmpty();
        assertThat(text("#chart-latency .legend")).contains("p50", "p95");
        // Health in units a person reads.
        assertThat(text("#health")).containsPattern("[0-9.]+ [MG]B free of [0-9.]+ [MG]B")
                .containsPattern("last call (me|token exchange|token refresh): \\w+ in \\d+ ms, \\d+s ago")
                .doesNotContainPattern("\\d{9,}");

        Path page = chromium.screenshot(SCREENSHOTS.resolve("admin-dashboard-trends.png"));
        Path charts = chromium.screenshot(trends, SCREENSHOTS.resolve("admin-dashboard-charts.png"));
        assertThat(Files.size(page)).isGreaterThan(10_000);
        assertThat(Files.size(charts)).isGreaterThan(5_000);
    }

    /** One login through the public API, so that the page has an outcome and a SoundCloud call to show. */
    private String completeOneLogin() throws IOException {
        service.soundCloudApproves();
        String state = JSON.readTree(service.fetch(service.publicBase() + "/auth/soundcloud/authorize").body())
                .get("state").asText();
        assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/redirect?code=sc-code&state=" + state)
                .statusCode()).isEqualTo(303);
        return state;
    }

    private String text(String css) {
        return chromium.driver.findElement(By.cssSelector(css)).getText();
    }

    /** Waits through the page's own refreshes, which can swap an element out from under the test. */
    private WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(chromium.driver, timeout, Duration.ofMillis(200));
        wait.ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class);
        return wait;
    }
}
