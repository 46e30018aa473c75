package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.AppTokenStatus;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.StoreReading;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.domain.AppTokenState.CredentialsVerdict;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.http.admin.DashboardView.AppTokenPanel;
import dev.starlib.auth.http.admin.DashboardView.Check;
import dev.starlib.auth.http.admin.DashboardView.LimitedRow;
import dev.starlib.auth.http.admin.DashboardView.LoginRow;
import dev.starlib.auth.http.admin.DashboardView.Notice;
import dev.starlib.auth.http.admin.DashboardView.SessionRow;
import dev.starlib.auth.http.admin.DashboardView.Tile;
import dev.starlib.auth.http.observe.AppTokenCounters;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.CheckResult;
import dev.starlib.auth.http.observe.HealthReport;
import dev.starlib.auth.http.observe.KeyCounters;
import dev.starlib.auth.http.observe.RecentLogin;
import dev.starlib.auth.http.observe.UpstreamCall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the console's sources once and turns them into a {@link DashboardView}. */
final class Dashboard {

    static final int REFRESH_SECONDS = 5;
    /** A full store holds thousands of sessions; the page lists the oldest ones and counts the rest. */
    static final int MAX_SESSION_ROWS = 100;

    private final AdminConsole console;
    private final CsrfToken csrf;

    Dashboard(AdminConsole console, CsrfToken csrf) {
        this.console = console;
        this.csrf = csrf;
    }

    DashboardView view(Optional<Notice> notice) {
        Instant now = console.clock().instant();
        HealthReport health = console.health().report();
        Sessions sessions = sessions();
        return new DashboardView(
                Durations.clock(now) + " UTC",
                REFRESH_SECONDS,
                health.ready(),
                soundCloud(console.metrics().lastUpstreamCall(), now) + breaker(console.metrics().breakerStatus(), now),
                notice,
                withLimitedClients(withRefreshesAndBreaker(tiles(console.metrics().counters(), sessions.counts()),
                        console.metrics()), now),
                health.checks().stream().map(result -> check(result, now)).toList(),
                sessions.oldest().stream().map(summary -> row(summary, now)).toList(),
                Math.max(0, sessions.counts().total() - sessions.oldest().size()),
                sessions.problem(),
                console.metrics().recentLogins().stream().map(Dashboard::login).toList(),
                console.configuration().settings(),
                csrf.value(),
                limited(now),
                console.appToken().map(appToken -> appToken(appToken, console.metrics().appTokenCounters(), now)),
                TrendCharts.of(console.metrics().lastHour()),
                console.configuration().warning());
    }

    /** How far back the dashboard looks for clients that were refused for asking too much. */
    static final Duration LIMITED_WINDOW = Duration.ofMinutes(5);

    /** The networks refused lately, masked by the HTTP adapter before they got here. */
    private List<LimitedRow> limited(Instant now) {
        return console.metrics().limitedClients().within(LIMITED_WINDOW, now).stream()
                .map(limited -> new LimitedRow(limited.maskedClient(), limited.endpoint(),
                        limited.reason().replace('_', ' '), limited.refusals(),
                        Durations.brief(Duration.between(limited.last(), now))))
                .toList();
    }

    private static AppTokenPanel appToken(ProvideAppToken appToken, AppTokenCounters counters, Instant now) {
        String failures = "grants " + counters.grants() + " ok, " + counters.failedGrants() + " failed · refreshes "
                + counters.refreshes() + " ok, " + counters.failedRefreshes() + " failed";
        String requests = counters.served() + " served, " + counters.notServed() + " not served since start";
        return switch (appToken.status()) {
            case StoreReading.Unavailable<AppTokenStatus> unavailable -> new AppTokenPanel(
                    "unknown: the session store could not be read: " + unavailable.reason(), "unknown", "unknown",
                    failures, requests, true);
            case StoreReading.Read<AppTokenStatus> read -> {
                AppTokenStatus status = read.value();
                String validity = status.validUntil()
                        .map(until -> Durations.clock(until) + " UTC (in " + Durations.brief(Duration.between(now, until))
                                + ")" + status.renewalDueAt().map(due -> ", renewal due " + Durations.clock(due) + " UTC")
                                .orElse(""))
                        .orElse("no valid token");
                String lastRenewal = status.lastRenewedAt()
                        .map(at -> status.lastRenewedBy().map(by -> by.label() + " at ").orElse("") + Durations.clock(at)
                                + " UTC (" + Durations.brief(Duration.between(at, now)) + " ago)")
                        .orElse("none yet");
                String credentials = switch (status.credentials()) {
                    case ACCEPTED -> "accepted by SoundCloud";
                    case REFUSED -> "refused by SoundCloud (invalid_client): check CLIENT_ID and CLIENT_SECRET";
                    case UNKNOWN -> "not proven yet (no app token granted for them)";
                };
                String lastFailure = status.lastFailure().map(failure -> " · last: " + failure.cause().code() + " at "
                        + Durations.clock(failure.at()) + " UTC, next attempt not before "
                        + Durations.clock(failure.retryAt()) + " UTC").orElse("");
                yield new AppTokenPanel(validity, lastRenewal, credentials, failures + lastFailure, requests,
                        status.credentials() == CredentialsVerdict.REFUSED || status.validUntil().isEmpty());
            }
        };
    }

    /** What the store holds: its counts by stage and its oldest sessions, or why it could not say. */
    private record Sessions(SessionCounts counts, List<SessionSummary> oldest, Optional<String> problem) {
    }

    private Sessions sessions() {
        StoreReading<SessionCounts> counts = console.sessions().counts();
        StoreReading<List<SessionSummary>> oldest = console.sessions().oldest(MAX_SESSION_ROWS);
        if (counts instanceof StoreReading.Read<SessionCounts> c && oldest instanceof StoreReading.Read<List<SessionSummary>> o) {
            return new Sessions(c.value(), o.value(), Optional.empty());
        }
        String reason = counts instanceof StoreReading.Unavailable<SessionCounts> u ? u.reason()
                : ((StoreReading.Unavailable<List<SessionSummary>>) oldest).reason();
        return new Sessions(SessionCounts.NONE, List.of(), Optional.of("The session store could not be read: " + reason));
    }

    private static List<Tile> tiles(KeyCounters counters, SessionCounts sessions) {
        return List.of(
                new Tile("Pending now", Integer.toString(sessions.pending()), false),
                new Tile("Awaiting pickup", Integer.toString(sessions.finished()), false),
                new Tile("Logins started", Long.toString(counters.loginsStarted()), false),
                new Tile("Logins succeeded", Long.toString(counters.loginsSucceeded()), false),
                new Tile("Logins failed", Long.toString(counters.loginsFailed()), counters.loginsFailed() > 0),
                new Tile("Refreshes ok", Long.toString(counters.refreshesSucceeded()), false),
                new Tile("Refreshes failed", Long.toString(counters.refreshesFailed()), counters.refreshesFailed() > 0),
                new Tile("SoundCloud failures", Long.toString(counters.upstreamCallsFailed()),
                        counters.upstreamCallsFailed() > 0),
                new Tile("Store errors", Long.toString(counters.storeErrors()), counters.storeErrors() > 0));
    }

    private List<Tile> withLimitedClients(List<Tile> tiles, Instant now) {
        int limited = console.metrics().limitedClients().within(LIMITED_WINDOW, now).size();
        List<Tile> all = new ArrayList<>(tiles);
        all.add(new Tile("Clients limited (5 min)", Integer.toString(limited), limited > 0));
        return all;
    }

    /** Pairs handed out without a SoundCloud call of their own, and whether token calls go through. */
    private static List<Tile> withRefreshesAndBreaker(List<Tile> tiles, AuthMetrics metrics) {
        List<Tile> all = new ArrayList<>(tiles);
        all.add(new Tile("Refreshes shared", Long.toString(metrics.refreshes("shared")), false));
        all.add(new Tile("Refreshes reused", Long.toString(metrics.refreshes("reused")), false));
        metrics.breakerStatus().ifPresent(status -> all.add(new Tile("Token breaker",
                status.state().label().replace('_', ' '), status.state() != TokenEndpointBreaker.State.CLOSED)));
        return all;
    }

    private static String breaker(Optional<TokenEndpointBreaker.Status> status, Instant now) {
        if (status.isEmpty() || status.get().state() == TokenEndpointBreaker.State.CLOSED) {
            return "";
        }
        return status.get().nextTryAt()
                .map(at -> " · token calls fail fast, next try in " + Durations.brief(Duration.between(now, at)))
                .orElse(" · token calls fail fast while one probe is under way");
    }

    private static String soundCloud(Optional<UpstreamCall> last, Instant now) {
        if (last.isEmpty()) {
            return "no calls since start";
        }
        UpstreamCall call = last.get();
        String endpoint = "me".equals(call.endpoint()) ? "/me" : call.endpoint().replace('_', ' ');
        return (call.answered() ? "answering" : "not answering") + " · last call " + endpoint + ": "
                + call.outcome() + " in " + call.latency().toMillis() + " ms, "
                + Durations.brief(Duration.between(call.at(), now)) + " ago";
    }

    private static Check check(CheckResult result, Instant now) {
        return new Check(result.name(), result.type(), result.status(), HealthDetails.describe(result, now));
    }

    private static SessionRow row(SessionSummary summary, Instant now) {
        return new SessionRow(summary.stateHint(), summary.stage().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                summary.returnToOrigin().isEmpty() ? "unknown" : summary.returnToOrigin(),
                Durations.brief(Duration.between(summary.since(), now)),
                Durations.brief(Duration.between(now, summary.expiresAt())),
                summary.key().hex(),
                summary.stage() == OAuthSession.Stage.PENDING);
    }

    private static LoginRow login(RecentLogin login) {
        return new LoginRow(Durations.clock(login.at()), login.flow().replace('_', ' '), login.outcome(),
                login.stateHint(), login.succeeded());
    }
}
