package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.admin.ConfigurationSummary.Setting;
import dev.starlib.auth.http.admin.DashboardView.Check;
import dev.starlib.auth.http.admin.DashboardView.LimitedRow;
import dev.starlib.auth.http.admin.DashboardView.LoginRow;
import dev.starlib.auth.http.admin.DashboardView.Notice;
import dev.starlib.auth.http.admin.DashboardView.SessionRow;
import dev.starlib.auth.http.admin.DashboardView.Tile;
import dev.starlib.auth.http.observe.Trends;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin templates: shared layout, self-refresh, the cancel form, and escaping of every value shown. */
class AdminTemplatesTest {

    private static final String KEY = "ab".repeat(32);
    private static final String HOSTILE = "\"><script>alert(1)</script>";

    private final AdminPages pages = new AdminPages();

    @Test
    void dashboardUsesTheSharedLayoutWideAndRefreshesItselfWithoutScript() {
        String html = pages.render("admin/dashboard.jte", view(List.of(), Optional.empty()));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Operations · Starlib</title>",
                "<body class=\"wide\">", "<meta http-equiv=\"refresh\" content=\"5; url=/admin\">");
        assertThat(html).doesNotContain("<script");
    }

    @Test
    void publicPagesKeepTheNarrowLayoutAndDoNotRefresh() {
        String html = pages.render("admin/problem.jte", new AdminPages.ProblemView("401 Unauthorized", "Sign in."));

        assertThat(html).contains("<body>").doesNotContain("http-equiv", "class=\"wide\"");
    }

    @Test
    void pendingSessionHasACancelFormWithTheCsrfTokenAndItsKey() {
        String html = pages.render("admin/dashboard.jte", view(List.of(
                new SessionRow("AbCd1234", "pending", "http://localhost:3000", "12s", "9m 48s", KEY, true),
                new SessionRow("EfGh5678", "exchanging", "http://localhost:3000", "20s", "1m 40s", "cd".repeat(32), false)),
                Optional.empty()));

        assertThat(html).contains("<form class=\"inline\" method=\"post\" action=\"/admin/sessions/cancel\">",
                "<input type=\"hidden\" name=\"csrf\" value=\"csrf-token-value\">",
                "<input type=\"hidden\" name=\"session\" value=\"" + KEY + "\">",
                "data-cancel=\"AbCd1234\"");
        assertThat(html).doesNotContain("data-cancel=\"EfGh5678\"");
    }

    @Test
    void hostileReturnToOriginAndStateHintAreShownAsText() {
        String html = pages.render("admin/dashboard.jte", view(List.of(
                new SessionRow(HOSTILE, "pending", "javascript://<img src=x onerror=alert(1)>", "1s", "9m", KEY, true)),
                Optional.empty()));

        assertThat(html).doesNotContain("<script>", "<img").contains("&lt;script&gt;", "&lt;img src=x");
        assertThat(html).contains("data-state-hint=\"&#34;>&lt;script>");
    }

    @Test
    void hostileNoticeCheckDetailsOutcomesAndSettingsAreEscaped() {
        DashboardView view = new DashboardView("12:00:00 UTC", 5, false, "<b>answering</b>",
                Optional.of(new Notice(false, "<iframe src=//evil.example>")),
                List.of(new Tile("<i>tile</i>", "<u>1</u>", true)),
                List.of(new Check("store", "readiness", "DOWN", "error: <svg onload=alert(1)>")),
                List.of(), 0, Optional.of("<marquee>store</marquee>"),
                List.of(new LoginRow("12:00:00", "direct callback", "<blink>denied</blink>", "<x>", false)),
                List.of(new Setting("Redirect URI", "http://x/\"><script>alert(2)</script>")),
                "csrf-token-value",
                List.of(new LimitedRow("<s>203.0.113.*</s>", "authorize", "rate", 3, "2s")), Optional.empty());

        String html = pages.render("admin/dashboard.jte", view);

        assertThat(html).doesNotContain("<iframe", "<svg", "<marquee", "<blink", "<b>answering", "<i>tile", "<u>1",
                "<script>", "<x>", "<s>");
        assertThat(html).contains("&lt;iframe", "&lt;svg", "&lt;marquee&gt;", "&lt;blink&gt;", "Not ready");
    }

    @Test
    void problemMessageIsEscaped() {
        String html = pages.render("admin/problem.jte",
                new AdminPages.ProblemView("503 Service Unavailable", "store in /tmp/<script>x</script> stopped"));

        assertThat(html).doesNotContain("<script>").contains("/tmp/&lt;script&gt;");
    }

    @Test
    void theLastHourIsDrawnAsInlineSvgWithoutScriptOrStyleAttributes() {
        Trends trends = new Trends();
        Instant now = Instant.parse("2026-03-01T12:30:00Z");
        trends.login(now, "success");
        trends.login(now.minusSeconds(120), "<script>alert(1)</script>");
        trends.upstreamCall(now, Duration.ofMillis(80));
        DashboardView view = new DashboardView("12:30:00 UTC", 5, true, "answering", Optional.empty(), List.of(),
                List.of(), List.of(), 0, Optional.empty(), List.of(), List.of(), "csrf-token-value", Optional.empty(),
                TrendCharts.of(trends.lastHour(now)), Optional.empty());

        String html = pages.render("admin/dashboard.jte", view);

        assertThat(html).contains("<section class=\"panel\" id=\"trends\">", "<figure class=\"chart\" id=\"chart-logins\">",
                "<rect class=\"bar\"", "<title>12:30 UTC · 1 success</title>", "<circle class=\"point\"",
                "No token refresh in the last hour.");
        assertThat(html).doesNotContain("<script", "style=\"", "onload", "href=\"http")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aWarningHeadsTheDashboard() {
        DashboardView view = new DashboardView("12:00:00 UTC", 5, true, "answering", Optional.empty(), List.of(),
                List.of(), List.of(), 0, Optional.empty(), List.of(), List.of(), "csrf-token-value", Optional.empty(),
                List.of(), Optional.of("Sandbox mode (SOUNDCLOUD_MODE=sandbox): <not real>"));

        String html = pages.render("admin/dashboard.jte", view);

        assertThat(html).contains("<p class=\"sandbox\" role=\"alert\" id=\"warning\">Sandbox mode (SOUNDCLOUD_MODE=sandbox): &lt;not real&gt;</p>");
    }

    private static DashboardView view(List<SessionRow> sessions, Optional<Notice> notice) {
        return new DashboardView("12:00:00 UTC", Dashboard.REFRESH_SECONDS, true, "no calls since start", notice,
                List.of(new Tile("Pending now", "1", false)),
                List.of(new Check("credentials", "readiness", "UP", "configured: true")),
                sessions, 0, Optional.empty(), List.of(),
                List.of(new Setting("Client ID", "abc")), "csrf-token-value", List.of(), Optional.empty());
    }

    @Test
    void theAppTokenPanelIsShownOnlyWithAnAppTokenAndEscaped() {
        DashboardView without = view(List.of(), Optional.empty());
        DashboardView with = new DashboardView(without.generatedAt(), without.refreshSeconds(), without.ready(),
                without.soundCloud(), without.notice(), without.tiles(), without.checks(), without.sessions(),
                without.sessionsNotShown(), without.storeProblem(), without.recentLogins(), without.configuration(),
                without.csrfToken(), List.of(), Optional.of(new DashboardView.AppTokenPanel(HOSTILE, "grant at 12:00:00 UTC",
                "accepted by SoundCloud", "grants 1 ok", "3 served", true)));

        assertThat(pages.render("admin/dashboard.jte", without)).doesNotContain("id=\"app-token\"");
        String html = pages.render("admin/dashboard.jte", with);
        assertThat(html).contains("id=\"app-token\"", "grant at 12:00:00 UTC", "attention", "&lt;script&gt;")
                .doesNotContain("<script>");
    }
}
