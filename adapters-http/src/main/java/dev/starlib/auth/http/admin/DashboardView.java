package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.admin.ConfigurationSummary.Setting;

import java.util.List;
import java.util.Optional;

/**
 * Everything {@code admin/dashboard.jte} shows, already reduced to text (and the charts to coordinates): the
 * template only lays it out (and escapes it). Sessions are named by their state hint; the key in the cancel form is the state's hash.
 */
record DashboardView(
        String generatedAt,
        int refreshSeconds,
        boolean ready,
        String soundCloud,
        Optional<Notice> notice,
        List<Tile> tiles,
        List<Check> checks,
        List<SessionRow> sessions,
        int sessionsNotShown,
        Optional<String> storeProblem,
        List<LoginRow> recentLogins,
        List<Setting> configuration,
        String csrfToken,
        List<LimitedRow> limitedClients,
        Optional<AppTokenPanel> appToken,
        List<Chart> charts,
        Optional<String> warning) {

    /** Without an app token panel, limited clients, charts or a warning. */
    DashboardView(String generatedAt, int refreshSeconds, boolean ready, String soundCloud, Optional<Notice> notice,
                  List<Tile> tiles, List<Check> checks, List<SessionRow> sessions, int sessionsNotShown,
                  Optional<String> storeProblem, List<LoginRow> recentLogins, List<Setting> configuration,
                  String csrfToken) {
        this(generatedAt, refreshSeconds, ready, soundCloud, notice, tiles, checks, sessions, sessionsNotShown,
                storeProblem, recentLogins, configuration, csrfToken, Optional.empty());
    }

    /** Without limited clients, charts or a warning. */
    DashboardView(String generatedAt, int refreshSeconds, boolean ready, String soundCloud, Optional<Notice> notice,
                  List<Tile> tiles, List<Check> checks, List<SessionRow> sessions, int sessionsNotShown,
                  Optional<String> storeProblem, List<LoginRow> recentLogins, List<Setting> configuration,
                  String csrfToken, Optional<AppTokenPanel> appToken) {
        this(generatedAt, refreshSeconds, ready, soundCloud, notice, tiles, checks, sessions, sessionsNotShown,
                storeProblem, recentLogins, configuration, csrfToken, List.of(), appToken);
    }

    /** Without charts or a warning. */
    DashboardView(String generatedAt, int refreshSeconds, boolean ready, String soundCloud, Optional<Notice> notice,
                  List<Tile> tiles, List<Check> checks, List<SessionRow> sessions, int sessionsNotShown,
                  Optional<String> storeProblem, List<LoginRow> recentLogins, List<Setting> configuration,
                  String csrfToken, List<LimitedRow> limitedClients, Optional<AppTokenPanel> appToken) {
        this(generatedAt, refreshSeconds, ready, soundCloud, notice, tiles, checks, sessions, sessionsNotShown,
                storeProblem, recentLogins, configuration, csrfToken, limitedClients, appToken, List.of(),
                Optional.empty());
    }

    /** Without limited clients. */
    DashboardView(String generatedAt, int refreshSeconds, boolean ready, String soundCloud, Optional<Notice> notice,
                  List<Tile> tiles, List<Check> checks, List<SessionRow> sessions, int sessionsNotShown,
                  Optional<String> storeProblem, List<LoginRow> recentLogins, List<Setting> configuration,
                  String csrfToken, Optional<AppTokenPanel> appToken, List<Chart> charts, Optional<String> warning) {
        this(generatedAt, refreshSeconds, ready, soundCloud, notice, tiles, checks, sessions, sessionsNotShown,
                storeProblem, recentLogins, configuration, csrfToken, List.of(), appToken, charts, warning);
    }

    /** A message about what the operator just did. */
    record Notice(boolean ok, String text) {
    }

    /** One number at the top of the page; {@code alert} when it is a count of failures above zero. */
    record Tile(String label, String value, boolean alert) {
    }

    record Check(String name, String type, String status, String details) {
        boolean up() {
            return "UP".equals(status);
        }
    }

    record SessionRow(String stateHint, String stage, String returnToOrigin, String age, String expiresIn,
                      String key, boolean cancellable) {
    }

    /** A network refused lately for asking too much, masked ({@code 203.0.113.*}): never a full address. */
    record LimitedRow(String maskedClient, String endpoint, String reason, long refusals, String ago) {
    }

    record LoginRow(String time, String flow, String outcome, String stateHint, boolean succeeded) {
    }

    /**
     * The app token's state, as sentences: until when it is valid, its last renewal, whether SoundCloud accepts the
     * credentials, the failures. {@code alert}: the credentials are refused or no valid token is kept.
     */
    record AppTokenPanel(String validity, String lastRenewal, String credentials, String failures, String requests,
                         boolean alert) {
    }
}
