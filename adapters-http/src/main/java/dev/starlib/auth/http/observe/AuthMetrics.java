package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.AppTokenStatus;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.StoreReading;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.SessionCounts;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The service's {@link AuthEvents}, kept as Helidon meters (scraped at {@code /observe/metrics}) and, for the
 * health check and the dashboard, as the last few login outcomes and the last SoundCloud call. Names follow
 * Prometheus conventions once exported: counters end in {@code _total}, the timer in {@code _seconds}.
 * <p>
 * Meters live in a registry shared by the whole process, and one service runs per process: a new instance
 * takes over the {@code starlib_} meters (starting them from zero, its gauges reading its own store), and
 * {@link #close()} removes the meters this instance created.
 */
public final class AuthMetrics implements AuthEvents, AutoCloseable {

    static final String PREFIX = "starlib.";
    static final String LOGINS_STARTED = PREFIX + "logins.started";
    static final String LOGINS_FINISHED = PREFIX + "logins.finished";
    static final String REFRESHES = PREFIX + "refreshes";
    static final String UPSTREAM_DURATION = PREFIX + "upstream.request.duration";
    static final String STORE_ERRORS = PREFIX + "store.errors";
    static final String STORE_COMMAND_DURATION = PREFIX + "store.command.duration";
    static final String STORE_RECONNECTS = PREFIX + "store.reconnects";
    static final String SESSIONS_PENDING = PREFIX + "sessions.pending";
    static final String RESULTS_UNCOLLECTED = PREFIX + "results.uncollected";
    static final String RATE_LIMITED = PREFIX + "rate.limited";
    static final String SIGN_OUTS = PREFIX + "sign.outs";
    static final String BREAKER_STATE = PREFIX + "soundcloud.breaker.state";
    static final String BREAKER_OPENED = PREFIX + "soundcloud.breaker.opened";
    static final String BREAKER_REFUSED = PREFIX + "soundcloud.breaker.refused";
    /** Refresh outcomes that handed out a pair: this call's own rotation, another call's, a remembered one. */
    static final Set<String> REFRESHED = Set.of("success", "shared", "reused");
    static final String APP_TOKEN_RENEWALS = PREFIX + "app.token.renewals";
    static final String APP_TOKEN_REQUESTS = PREFIX + "app.token.requests";
    static final String APP_TOKEN_EXPIRY = PREFIX + "app.token.expiry";

    static final int RECENT_LOGINS = 25;
    /** SoundCloud usually answers in tens to hundreds of milliseconds; the upstream timeout is 10 s by default. */
    private static final Duration[] UPSTREAM_BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    /** Redis answers on a LAN in well under a millisecond; a WAIT for a replica or a loaded server takes more. */
    private static final Duration[] STORE_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter loginsStarted;
    private final RecentLogins recentLogins = new RecentLogins(RECENT_LOGINS);
    private final Trends trends = new Trends();
    private final AtomicReference<UpstreamCall> lastUpstreamCall = new AtomicReference<>();
    private final AtomicReference<TokenEndpointBreaker> breaker = new AtomicReference<>();
    private final Set<Meter> created = ConcurrentHashMap.newKeySet();
    private final Map<String, Timer> storeCommandTimers = new ConcurrentHashMap<>();
    private final LimitedClients limitedClients = new LimitedClients();

    public AuthMetrics(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Left by an instance that never closed (its start failed, say): its gauges would read a dead store.
        registry.meters(AuthMetrics::ours).forEach(registry::remove);
        this.loginsStarted = meter(Counter.builder(LOGINS_STARTED)
                .description("Logins started: a state and a PKCE verifier were stored"));
        startAtZero();
    }

    /**
     * Every series that can appear, at zero, before its first event: an alert on a rate of failures must read 0 on
     * a fresh instance, not "no data".
     */
    private void startAtZero() {
        for (Flow flow : Flow.values()) {
            LOGIN_OUTCOMES.forEach(outcome -> loginsFinished(flow, outcome));
        }
        REFRESH_OUTCOMES.forEach(this::refreshCounter);
        for (UpstreamEndpoint endpoint : UpstreamEndpoint.values()) {
            UPSTREAM_OUTCOMES.forEach(outcome -> upstreamDuration(endpoint, outcome));
        }
        STORE_OPERATIONS.forEach(this::storeErrors);
    }

    /** Gauges of what waits in the store, read from it at each scrape. */
    public void watch(SessionOverview sessions) {
        Objects.requireNonNull(sessions, "sessions");
        gauge(SESSIONS_PENDING, "Logins started and waiting for SoundCloud to send the user back", sessions,
                SessionCounts::pending);
        gauge(RESULTS_UNCOLLECTED, "Finished logins whose result has not been picked up yet", sessions,
                SessionCounts::finished);
    }

    /** The token endpoint's breaker, as a gauge (0 closed, 1 half open, 2 open) and for the health check. */
    public void watch(TokenEndpointBreaker tokenEndpointBreaker) {
        Objects.requireNonNull(tokenEndpointBreaker, "tokenEndpointBreaker");
        breaker.set(tokenEndpointBreaker);
        meter(Gauge.builder(BREAKER_STATE, () -> (double) tokenEndpointBreaker.status().state().ordinalForMetrics())
                .description("SoundCloud token endpoint circuit breaker: 0 closed, 1 half open (one probe), 2 open"));
    }

    /**
     * A gauge of the seconds the app token still lives, read from the store at each scrape: 0 when there is no valid
     * token (alert on it), a gap (NaN) when the store cannot say.
     */
    public void watch(ProvideAppToken appToken) {
        Objects.requireNonNull(appToken, "appToken");
        meter(Gauge.builder(APP_TOKEN_EXPIRY, () -> switch (appToken.status()) {
                    case StoreReading.Read<AppTokenStatus> read -> (double) read.value().expiresIn(clock.instant())
                            .map(Duration::toSeconds).orElse(0L);
                    case StoreReading.Unavailable<AppTokenStatus> unavailable -> Double.NaN;
                })
                .description("Seconds until the app token (client credentials) expires; 0 without a valid one")
                .baseUnit(Meter.BaseUnits.SECONDS));
    }

    @Override
    public void loginStarted() {
        loginsStarted.increment();
    }

    @Override
    public void loginFinished(Flow flow, String outcome, String stateHint) {
        loginsFinished(flow, outcome).increment();
        Instant now = clock.instant();
        recentLogins.add(new RecentLogin(now, flow.label(), outcome, stateHint));
        trends.login(now, outcome);
    }

    @Override
    public void refreshFinished(String outcome) {
        refreshCounter(outcome).increment();
        trends.refresh(clock.instant(), outcome);
    }

    @Override
    public void signOutFinished(String outcome) {
        meter(Counter.builder(SIGN_OUTS)
                .description("Sign-outs, by outcome (success, already_invalid, upstream_unavailable, upstream_timeout)")
                .addTag(Tag.create("outcome", outcome))).increment();
    }

    @Override
    public void breakerOpened(Duration openFor) {
        meter(Counter.builder(BREAKER_OPENED)
                .description("Times the SoundCloud token endpoint circuit breaker opened")).increment();
    }

    @Override
    public void breakerRefused(UpstreamEndpoint endpoint) {
        meter(Counter.builder(BREAKER_REFUSED)
                .description("Token calls failed fast by the open circuit breaker, without reaching SoundCloud")
                .addTag(Tag.create("endpoint", endpoint.label()))).increment();
    }

    @Override
    public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
        upstreamDuration(endpoint, outcome).record(duration);
        Instant now = clock.instant();
        lastUpstreamCall.set(new UpstreamCall(endpoint.label(), outcome, duration, now));
        trends.upstreamCall(now, duration);
    }

    @Override
    public void storeError(String operation) {
        storeErrors(operation).increment();
    }

    private Counter loginsFinished(Flow flow, String outcome) {
        return meter(Counter.builder(LOGINS_FINISHED)
                .description("Logins that ended, by flow and outcome (success, access_denied, invalid_state, ...)")
                .addTag(Tag.create("flow", flow.label()))
                .addTag(Tag.create("outcome", outcome)));
    }

    private Counter refreshCounter(String outcome) {
        return meter(Counter.builder(REFRESHES)
                .description("Token refreshes, by outcome")
                .addTag(Tag.create("outcome", outcome)));
    }

    private Timer upstreamDuration(UpstreamEndpoint endpoint, String outcome) {
        return meter(Timer.builder(UPSTREAM_DURATION)
                .description("Time SoundCloud took to answer, by endpoint and outcome")
                .baseUnit(Meter.BaseUnits.SECONDS)
                .buckets(UPSTREAM_BUCKETS)
                // A plain Prometheus histogram: our buckets only, no client-side quantiles beside them.
                .percentiles(new double[0])
                .publishPercentileHistogram(false)
                .addTag(Tag.create("endpoint", endpoint.label()))
                .addTag(Tag.create("outcome", outcome)));
    }

    private Counter storeErrors(String operation) {
        return meter(Counter.builder(STORE_ERRORS)
                .description("Session store faults (I/O errors, unreadable records), by operation")
                .addTag(Tag.create("operation", operation)));
    }

    @Override
    public void clientLimited(String endpoint, String reason, String maskedClient) {
        meter(Counter.builder(RATE_LIMITED)
                .description("Requests refused because their client asked too much, by endpoint and reason "
                        + "(rate, pending_quota, admin_backoff, connections)")
                .addTag(Tag.create("endpoint", endpoint))
                .addTag(Tag.create("reason", reason))).increment();
        limitedClients.add(maskedClient, endpoint, reason, clock.instant());
    }

    /** The networks refused lately, masked, for the dashboard. */
    public LimitedClients limitedClients() {
        return limitedClients;
    }

    @Override
    public void appTokenRenewal(String method, String outcome) {
        meter(Counter.builder(APP_TOKEN_RENEWALS)
                .description("Calls to SoundCloud for the app token, by method (grant, refresh) and outcome")
                .addTag(Tag.create("method", method))
                .addTag(Tag.create("outcome", outcome))).increment();
    }

    @Override
    public void appTokenRequest(String outcome) {
        meter(Counter.builder(APP_TOKEN_REQUESTS)
                .description("Requests for the app token, by outcome (served, or why not)")
                .addTag(Tag.create("outcome", outcome))).increment();
    }

    public AppTokenCounters appTokenCounters() {
        return new AppTokenCounters(
                appTokenRenewals("grant", true), appTokenRenewals("grant", false),
                appTokenRenewals("refresh", true), appTokenRenewals("refresh", false),
                countersNamed(APP_TOKEN_REQUESTS).filter(c -> "served".equals(tag(c, "outcome")))
                        .mapToLong(Counter::count).sum(),
                countersNamed(APP_TOKEN_REQUESTS).filter(c -> !"served".equals(tag(c, "outcome")))
                        .mapToLong(Counter::count).sum());
    }

    private long appTokenRenewals(String method, boolean succeeded) {
        return countersNamed(APP_TOKEN_RENEWALS)
                .filter(c -> method.equals(tag(c, "method")) && "success".equals(tag(c, "outcome")) == succeeded)
                .mapToLong(Counter::count).sum();
    }

    /** Several per login on the Redis store: each command's timer is looked up in the registry once. */
    @Override
    public void storeCommand(String command, Duration took) {
        storeCommandTimers.computeIfAbsent(command, name -> meter(Timer.builder(STORE_COMMAND_DURATION)
                .description("Time the session store's server (Redis) took to answer a command, by command")
                .baseUnit(Meter.BaseUnits.SECONDS)
                .buckets(STORE_BUCKETS)
                .percentiles(new double[0])
                .publishPercentileHistogram(false)
                .addTag(Tag.create("command", name)))).record(took);
    }

    @Override
    public void storeReconnected() {
        meter(Counter.builder(STORE_RECONNECTS)
                .description("Times the session store's client got its connection to the server (Redis) back")).increment();
    }

    public List<RecentLogin> recentLogins() {
        return recentLogins.newestFirst();
    }

    /** The last hour, minute by minute, up to now: for the dashboard's charts. */
    public List<Trends.Minute> lastHour() {
        return trends.lastHour(clock.instant());
    }

    public Optional<UpstreamCall> lastUpstreamCall() {
        return Optional.ofNullable(lastUpstreamCall.get());
    }

    /** The token endpoint breaker's state now; empty when none is watched (credentials missing). */
    public Optional<TokenEndpointBreaker.Status> breakerStatus() {
        return Optional.ofNullable(breaker.get()).map(TokenEndpointBreaker::status);
    }

    /** How many refreshes ended with {@code outcome} since start, e.g. {@code shared} or {@code reused}. */
    public long refreshes(String outcome) {
        return countersNamed(REFRESHES).filter(c -> outcome.equals(tag(c, "outcome"))).mapToLong(Counter::count).sum();
    }

    public KeyCounters counters() {
        return new KeyCounters(
                loginsStarted.count(),
                countersNamed(LOGINS_FINISHED).filter(c -> "success".equals(tag(c, "outcome"))).mapToLong(Counter::count).sum(),
                countersNamed(LOGINS_FINISHED).filter(c -> !"success".equals(tag(c, "outcome"))).mapToLong(Counter::count).sum(),
                countersNamed(REFRESHES).filter(c -> REFRESHED.contains(tag(c, "outcome"))).mapToLong(Counter::count).sum(),
                countersNamed(REFRESHES).filter(c -> !REFRESHED.contains(tag(c, "outcome"))).mapToLong(Counter::count).sum(),
                registry.meters(m -> m.id().name().equals(UPSTREAM_DURATION) && m instanceof Timer
                                && !UpstreamCall.isAnswer(tag(m, "outcome"))).stream()
                        .mapToLong(m -> ((Timer) m).count()).sum(),
                countersNamed(STORE_ERRORS).mapToLong(Counter::count).sum());
    }

    /** Takes the meters this instance created out of the shared registry. */
    @Override
    public void close() {
        created.forEach(registry::remove);
        created.clear();
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> M meter(B builder) {
        M meter = registry.getOrCreate(builder);
        created.add(meter);
        return meter;
    }

    private static boolean ours(Meter meter) {
        return meter.id().name().startsWith(PREFIX);
    }

    private void gauge(String name, String description, SessionOverview sessions, ToIntFunction<SessionCounts> count) {
        meter(Gauge.builder(name, () -> read(sessions, count)).description(description));
    }

    /** A store that cannot answer shows as a gap in the graph (NaN) rather than a misleading zero. */
    private static Double read(SessionOverview sessions, ToIntFunction<SessionCounts> count) {
        return switch (sessions.counts()) {
            case StoreReading.Read<SessionCounts> read -> (double) count.applyAsInt(read.value());
            case StoreReading.Unavailable<SessionCounts> unavailable -> Double.NaN;
        };
    }

    private Stream<Counter> countersNamed(String name) {
        return registry.meters(meter -> meter.id().name().equals(name) && meter instanceof Counter).stream()
                .map(Counter.class::cast);
    }

    private static String tag(Meter meter, String key) {
        return meter.id().tagsMap().get(key);
    }
}
