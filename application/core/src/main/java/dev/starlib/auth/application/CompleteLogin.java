package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.AuthEvents.Flow;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.domain.Tokens;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finishes a login: consumes the pending state exactly once, exchanges the code with the stored PKCE
 * verifier, fetches the user. The backend-redirect flow ({@link #onRedirect}) stores the outcome for one
 * pickup and sends the browser back to the frontend; the direct flow ({@link #onCallback}) returns it.
 */
public final class CompleteLogin {

    private static final System.Logger LOG = System.getLogger(CompleteLogin.class.getName());

    private final SessionStore store;
    private final SoundCloud soundCloud;
    private final TokenEndpointBreaker breaker;
    private final Duration resultTtl;
    private final Clock clock;
    private final AuthEvents events;

    public CompleteLogin(SessionStore store, SoundCloud soundCloud, TokenEndpointBreaker breaker, Duration resultTtl,
                         Clock clock, AuthEvents events) {
        this.store = store;
        this.soundCloud = soundCloud;
        this.breaker = breaker;
        this.resultTtl = resultTtl;
        this.clock = clock;
        this.events = events;
    }

    public sealed interface RedirectResult {
        /** Send the browser here (303): the frontend callback with the state, and the error if there was one. */
        record SendBrowserTo(URI location, LoginOutcome outcome) implements RedirectResult {
            /** The location carries the full state, which must not reach a log. */
            @Override
            public String toString() {
                return "SendBrowserTo[location=" + Redaction.withoutQuery(location) + ", outcome=" + outcome + "]";
            }
        }

        record StateRejected(StateRejection rejection) implements RedirectResult {
        }
    }

    public sealed interface CallbackResult {
        record Finished(LoginOutcome outcome) implements CallbackResult {
        }

        record StateRejected(StateRejection rejection) implements CallbackResult {
        }
    }

    public RedirectResult onRedirect(SoundCloudRedirect redirect) {
        State state = redirect.state();
        return switch (consume(state, Flow.BACKEND_REDIRECT)) {
            case Rejected rejected -> new RedirectResult.StateRejected(rejected.rejection());
            case Taken taken -> {
                PendingAuthorization pending = taken.pending();
                LoginOutcome outcome = switch (redirect) {
                    case SoundCloudRedirect.Approved approved -> exchange(approved.code(), pending.verifier());
                    case SoundCloudRedirect.Refused refused -> new LoginOutcome.Failed(refusal(refused));
                };
                Instant finishedAt = clock.instant();
                store.update(pending.key(), OAuthSession.finish(new FinishedLogin(pending.key(), pending.stateHint(),
                        outcome, finishedAt, finishedAt.plus(resultTtl)), pending.client()));
                report(Flow.BACKEND_REDIRECT, outcome, pending.stateHint());
                yield new RedirectResult.SendBrowserTo(location(pending, state, outcome), outcome);
            }
        };
    }

    public CallbackResult onCallback(State state, AuthorizationCode code) {
        return switch (consume(state, Flow.DIRECT_CALLBACK)) {
            case Rejected rejected -> new CallbackResult.StateRejected(rejected.rejection());
            case Taken taken -> {
                LoginOutcome outcome = exchange(code, taken.pending().verifier());
                report(Flow.DIRECT_CALLBACK, outcome, taken.pending().stateHint());
                yield new CallbackResult.Finished(outcome);
            }
        };
    }

    private sealed interface Consumption {
    }

    private record Taken(PendingAuthorization pending) implements Consumption {
    }

    private record Rejected(StateRejection rejection) implements Consumption {
    }

    /** The store applies the domain's rule; the answer says whether this request may exchange the code. */
    private Consumption consume(State state, Flow flow) {
        return switch (store.update(state.hash(), OAuthSession.consume(clock.instant(), resultTtl))) {
            case OAuthSession.Consumption.Consumed consumed -> new Taken(consumed.pending());
            case OAuthSession.Consumption.Rejected rejected -> rejected(state, flow, rejected.rejection());
        };
    }

    private Rejected rejected(State state, Flow flow, StateRejection rejection) {
        events.loginFinished(flow, "invalid_state", state.hint());
        LOG.log(System.Logger.Level.INFO, "login refused flow={0} state={1}… reason={2}",
                flow.label(), state.hint(), rejection);
        return new Rejected(rejection);
    }

    /**
     * Exchanges the code once, unless the breaker is open: then nothing is sent, and the login fails at once (the
     * state is used up either way, so the user simply signs in again). Never retried.
     */
    private LoginOutcome exchange(AuthorizationCode code, CodeVerifier verifier) {
        UpstreamResult<Tokens> exchanged;
        switch (breaker.call(AuthEvents.UpstreamEndpoint.TOKEN_EXCHANGE,
                () -> soundCloud.exchangeCode(code, verifier))) {
            case TokenEndpointBreaker.Guarded.Refused<Tokens> refused -> {
                return new LoginOutcome.Failed(Failures.breakerOpen(refused.retryAfter()));
            }
            case TokenEndpointBreaker.Guarded.Answered<Tokens> answered -> exchanged = answered.result();
        }
        return switch (exchanged) {
            case UpstreamResult.Success<Tokens> success -> fetchUser(success.value());
            case UpstreamResult.Failure<Tokens> failure ->
                    new LoginOutcome.Failed(Failures.of(failure, Failures.Call.CODE_EXCHANGE));
        };
    }

    private LoginOutcome fetchUser(Tokens tokens) {
        return switch (soundCloud.me(tokens.accessToken())) {
            case UpstreamResult.Success<SoundCloudUser> user -> new LoginOutcome.Succeeded(tokens, user.value());
            case UpstreamResult.Failure<SoundCloudUser> failure ->
                    new LoginOutcome.Failed(Failures.of(failure, Failures.Call.ME));
        };
    }

    private static LoginFailure refusal(SoundCloudRedirect.Refused refused) {
        LoginFailure fallback = switch (refused.error()) {
            case "access_denied" -> new LoginFailure(Reason.ACCESS_DENIED,
                    "You did not allow Starlib to access your SoundCloud account.");
            case "server_error", "temporarily_unavailable" -> new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                    "SoundCloud could not complete the sign-in right now. Please try again.");
            case "unauthorized_client", "invalid_client" -> new LoginFailure(Reason.INVALID_CLIENT,
                    "SoundCloud does not accept this app's credentials. An operator must check CLIENT_ID and CLIENT_SECRET.");
            default -> new LoginFailure(Reason.ACCESS_DENIED,
                    "SoundCloud refused the sign-in request (" + refused.error() + ").");
        };
        return refused.description().map(d -> new LoginFailure(fallback.reason(), d)).orElse(fallback);
    }

    private static URI location(PendingAuthorization pending, State state, LoginOutcome outcome) {
        Map<String, String> query = new LinkedHashMap<>();
        if (outcome instanceof LoginOutcome.Failed failed) {
            query.put("error", failed.failure().reason().code());
            query.put("error_description", failed.failure().description());
        }
        query.put("state", state.value());
        return pending.returnTo().withParameters(query);
    }

    private void report(Flow flow, LoginOutcome outcome, String stateHint) {
        String code = switch (outcome) {
            case LoginOutcome.Succeeded succeeded -> "success";
            case LoginOutcome.Failed failed -> failed.failure().reason().code();
        };
        events.loginFinished(flow, code, stateHint);
        LOG.log(System.Logger.Level.INFO, "login finished flow={0} state={1}… outcome={2}", flow.label(), stateHint, code);
    }
}
