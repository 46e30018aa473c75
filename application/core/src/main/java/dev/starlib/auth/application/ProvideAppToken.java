package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.AppTokenState.Plan;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.RenewalFailure;
import dev.starlib.auth.domain.RenewalFailure.Cause;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The app token for the backend's own SoundCloud calls (stream URLs, BPM analysis): a client-credentials token,
 * obtained once, kept in the {@link AppTokenVault} for every instance and every restart, renewed
 * {@code renewBefore} ahead of its expiry (by its refresh token when it has one, by a new grant otherwise), and
 * obtained by one caller at a time however many ask. SoundCloud grants few of these (50 per 12 hours per app), so a
 * failure holds every later attempt off for a while (until the reset time, for a 429), and a still-valid token
 * is handed out meanwhile. Its calls go to the same token endpoint as logins and refreshes, through the same
 * {@link TokenEndpointBreaker}: while that is open nothing is sent, and attempts hold off until its next try.
 */
public final class ProvideAppToken {

    private static final System.Logger LOG = System.getLogger(ProvideAppToken.class.getName());

    private final AppTokenVault vault;
    private final SoundCloud soundCloud;
    private final TokenEndpointBreaker breaker;
    private final CredentialsFingerprint credentials;
    private final Duration renewBefore;
    private final Clock clock;
    private final AuthEvents events;

    /**
     * @param breaker     the token endpoint's breaker, shared with logins and refreshes
     * @param credentials which CLIENT_ID/CLIENT_SECRET the SoundCloud adapter uses: a token kept for others is not ours
     * @param renewBefore how long before its expiry a token is renewed ({@code APP_TOKEN_RENEW_BEFORE_SECONDS})
     */
    public ProvideAppToken(AppTokenVault vault, SoundCloud soundCloud, TokenEndpointBreaker breaker,
                           CredentialsFingerprint credentials, Duration renewBefore, Clock clock, AuthEvents events) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.soundCloud = Objects.requireNonNull(soundCloud, "soundCloud");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        if (renewBefore.isNegative()) {
            throw new IllegalArgumentException("renewBefore must not be negative");
        }
    }

    public sealed interface Result {

        /** A valid app token and the time it still lives. Carries the token: never log it. */
        record Issued(AccessToken accessToken, Duration expiresIn) implements Result {
            public Issued {
                Objects.requireNonNull(accessToken, "accessToken");
                Objects.requireNonNull(expiresIn, "expiresIn");
            }

            @Override
            public String toString() {
                return "Issued[expiresIn=" + expiresIn.toSeconds() + "s]";
            }
        }

        /** No valid token, and SoundCloud gave none: why, in a sentence for the caller, and when to ask again. */
        record Failed(Cause cause, String description, long retryAfterSeconds) implements Result {
            public Failed {
                Objects.requireNonNull(cause, "cause");
                Objects.requireNonNull(description, "description");
            }
        }

        /** The vault could not be read or written; SoundCloud was not asked, since its answer could not be kept. */
        record StoreUnavailable(String reason) implements Result {
            public StoreUnavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** A valid app token, renewing it first when it is missing, expired or due. */
    public Result current() {
        Result result;
        try {
            result = serve();
        } catch (SessionStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "app token unavailable: the session store cannot be used ("
                    + e.getMessage() + ")");
            result = new Result.StoreUnavailable(String.valueOf(e.getMessage()));
        }
        events.appTokenRequest(switch (result) {
            case Result.Issued issued -> "served";
            case Result.Failed failed -> failed.cause().code();
            case Result.StoreUnavailable unavailable -> "store_unavailable";
        });
        return result;
    }

    /**
     * Renews the token when it is missing, expired or due and no failure holds attempts off; does nothing otherwise.
     * For a schedule, so that callers seldom wait for a renewal, and so that a wrong CLIENT_ID/CLIENT_SECRET shows
     * soon after the start.
     */
    public void renewIfDue() {
        try {
            AppTokenState state = AppTokenState.seenBy(credentials, vault.read());
            if (state.plan(clock.instant(), renewBefore) instanceof Plan.Renew) {
                renew();
            }
        } catch (SessionStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "app token not renewed: the session store cannot be used ("
                    + e.getMessage() + ")");
        }
    }

    /** What operators may see of the token now. */
    public StoreReading<AppTokenStatus> status() {
        try {
            AppTokenState state = AppTokenState.seenBy(credentials, vault.read());
            return new StoreReading.Read<>(AppTokenStatus.of(state, clock.instant(), renewBefore));
        } catch (SessionStoreException e) {
            return new StoreReading.Unavailable<>(String.valueOf(e.getMessage()));
        }
    }

    private Result serve() {
        AppTokenState state = AppTokenState.seenBy(credentials, vault.read());
        Instant now = clock.instant();
        return switch (state.plan(now, renewBefore)) {
            case Plan.Serve serve -> issued(serve.token(), now);
            case Plan.HoldOff holdOff -> holdOff.stillValid().<Result>map(token -> issued(token, now))
                    .orElseGet(() -> failed(holdOff.failure(), now));
            case Plan.Renew renew -> answer(renew(), clock.instant());
        };
    }

    /** After a renewal: its token, or the old one while it is still valid, or the failure. */
    private Result answer(AppTokenState state, Instant now) {
        Optional<AppToken> valid = state.validAt(now);
        if (valid.isPresent()) {
            return issued(valid.get(), now);
        }
        RenewalFailure failure = state.lastFailure()
                .orElseGet(() -> RenewalFailure.of(Cause.UPSTREAM_UNAVAILABLE, now)); // a token shorter than a call
        return failed(failure, now);
    }

    /**
     * One renewal at a time, here and on every instance sharing the vault. Whoever waited finds the token already
     * renewed (or the failure that holds attempts off) and leaves it as it is: no second call.
     */
    private AppTokenState renew() {
        return vault.renew(stored -> {
            AppTokenState current = AppTokenState.seenBy(credentials, stored);
            Instant now = clock.instant();
            if (current.plan(now, renewBefore) instanceof Plan.Renew renew) {
                return renewFrom(current, renew.refreshToken());
            }
            return current;
        });
    }

    private AppTokenState renewFrom(AppTokenState current, Optional<RefreshToken> refreshToken) {
        AppTokenState state = current;
        if (refreshToken.isPresent()) {
            Instant requestedAt = clock.instant();
            UpstreamResult<AppTokenGrant> refreshed;
            switch (breaker.call(AuthEvents.UpstreamEndpoint.APP_TOKEN_REFRESH,
                    () -> soundCloud.refreshAppToken(refreshToken.get()))) {
                case TokenEndpointBreaker.Guarded.Refused<AppTokenGrant> refused -> {
                    return heldOffByBreaker(state, refused.retryAfter(), AppToken.Source.REFRESH);
                }
                case TokenEndpointBreaker.Guarded.Answered<AppTokenGrant> answered -> refreshed = answered.result();
            }
            switch (refreshed) {
                case UpstreamResult.Success<AppTokenGrant> success -> {
                    return obtained(state, success.value(), requestedAt, AppToken.Source.REFRESH);
                }
                case UpstreamResult.Rejected<AppTokenGrant> rejected when !rejected.isInvalidClient() -> {
                    // The refresh token is dead (used, revoked, expired): a new grant is the way back.
                    report(AppToken.Source.REFRESH, rejected.isInvalidGrant() ? "invalid_grant" : "refused");
                    LOG.log(System.Logger.Level.INFO, "app token refresh refused by SoundCloud ({0}); "
                            + "asking for a new client-credentials grant", rejected.error());
                    state = state.withoutRefreshToken();
                }
                case UpstreamResult.Failure<AppTokenGrant> failure -> {
                    return failedAttempt(state, failure, AppToken.Source.REFRESH);
                }
            }
        }
        Instant requestedAt = clock.instant();
        UpstreamResult<AppTokenGrant> granted;
        switch (breaker.call(AuthEvents.UpstreamEndpoint.APP_TOKEN_GRANT, soundCloud::grantAppToken)) {
            case TokenEndpointBreaker.Guarded.Refused<AppTokenGrant> refused -> {
                return heldOffByBreaker(state, refused.retryAfter(), AppToken.Source.GRANT);
            }
            case TokenEndpointBreaker.Guarded.Answered<AppTokenGrant> answered -> granted = answered.result();
        }
        return switch (granted) {
            case UpstreamResult.Success<AppTokenGrant> success ->
                    obtained(state, success.value(), requestedAt, AppToken.Source.GRANT);
            case UpstreamResult.Failure<AppTokenGrant> failure -> failedAttempt(state, failure, AppToken.Source.GRANT);
        };
    }

    /**
     * The breaker is open: SoundCloud's token endpoint has stopped answering, so nothing was sent. Attempts hold off
     * until the breaker lets the next call through (kept with the token, as any failure, so that other instances and
     * a restart hold off too); a token that is still valid is served meanwhile. No renewal is counted: SoundCloud was
     * not asked (the breaker counts the refusal).
     */
    private AppTokenState heldOffByBreaker(AppTokenState state, Duration retryAfter, AppToken.Source source) {
        Instant at = clock.instant();
        RenewalFailure failure = new RenewalFailure(Cause.UPSTREAM_UNAVAILABLE, at, at.plus(retryAfter));
        LOG.log(System.Logger.Level.WARNING, "app token " + source.label() + " not attempted: SoundCloud's token "
                + "endpoint is not answering (circuit breaker open); next attempt not before " + failure.retryAt()
                + ", " + consequence(state, at));
        return state.failed(failure);
    }

    private AppTokenState obtained(AppTokenState state, AppTokenGrant grant, Instant requestedAt,
                                   AppToken.Source source) {
        AppToken token = AppToken.of(grant, requestedAt, source);
        report(source, "success");
        LOG.log(System.Logger.Level.INFO, "app token obtained by {0}, valid until {1}{2}", source.label(),
                token.expiresAt(), token.refreshToken().isPresent() ? " (refreshable)" : "");
        return state.renewed(token);
    }

    private AppTokenState failedAttempt(AppTokenState state, UpstreamResult.Failure<AppTokenGrant> upstream,
                                        AppToken.Source source) {
        Instant at = clock.instant();
        RenewalFailure failure = switch (upstream) {
            case UpstreamResult.Rejected<AppTokenGrant> rejected when rejected.isInvalidClient() ->
                    RenewalFailure.of(Cause.INVALID_CLIENT, at);
            case UpstreamResult.Rejected<AppTokenGrant> rejected -> RenewalFailure.of(Cause.REFUSED, at);
            case UpstreamResult.RateLimited<AppTokenGrant> limited -> RenewalFailure.rateLimited(at,
                    limited.retryAfter().map(at::plus));
            case UpstreamResult.Unavailable<AppTokenGrant> unavailable -> RenewalFailure.of(Cause.UPSTREAM_UNAVAILABLE, at);
            case UpstreamResult.TimedOut<AppTokenGrant> timedOut -> RenewalFailure.of(Cause.UPSTREAM_TIMEOUT, at);
        };
        report(source, failure.cause().code());
        String consequence = consequence(state, at);
        if (failure.cause() == Cause.INVALID_CLIENT) {
            LOG.log(System.Logger.Level.ERROR, "SoundCloud refused CLIENT_ID/CLIENT_SECRET (invalid_client) for the "
                    + "app token " + source.label() + ": fix the credentials and restart; next attempt not before "
                    + failure.retryAt() + ", " + consequence);
        } else {
            LOG.log(System.Logger.Level.WARNING, "app token " + source.label() + " failed (" + failure.cause().code()
                    + "): next attempt not before " + failure.retryAt() + ", " + consequence);
        }
        return state.failed(failure);
    }

    private static String consequence(AppTokenState state, Instant at) {
        return state.validAt(at).isPresent()
                ? "the cached token is served until it expires at " + state.token().orElseThrow().expiresAt()
                : "no valid app token until then";
    }

    private void report(AppToken.Source source, String outcome) {
        events.appTokenRenewal(source.label(), outcome);
    }

    private static Result.Issued issued(AppToken token, Instant now) {
        return new Result.Issued(token.accessToken(), token.lifeLeft(now));
    }

    private static Result.Failed failed(RenewalFailure failure, Instant now) {
        long retryAfter = failure.retryAfterSeconds(now);
        String description = switch (failure.cause()) {
            case INVALID_CLIENT -> "SoundCloud does not accept this app's credentials (invalid_client). An operator "
                    + "must check CLIENT_ID and CLIENT_SECRET.";
            case RATE_LIMITED -> "SoundCloud limits how many app tokens this app may obtain, and the limit is reached "
                    + "until " + failure.retryAt() + ". Retry after " + retryAfter + " s.";
            case REFUSED -> "SoundCloud refused to grant an app token. Retry after " + retryAfter + " s.";
            case UPSTREAM_UNAVAILABLE -> "SoundCloud is not answering properly and no valid app token is kept. "
                    + "Retry after " + retryAfter + " s.";
            case UPSTREAM_TIMEOUT -> "SoundCloud did not answer in time and no valid app token is kept. "
                    + "Retry after " + retryAfter + " s.";
        };
        return new Result.Failed(failure.cause(), description, retryAfter);
    }
}
