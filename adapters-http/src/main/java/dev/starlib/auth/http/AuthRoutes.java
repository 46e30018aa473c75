package dev.starlib.auth.http;

import dev.starlib.auth.application.CompleteLogin;
import dev.starlib.auth.application.PickUpLogin;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.SignOut;
import dev.starlib.auth.application.SoundCloudRedirect;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.http.ResponseBodies.Authorization;
import dev.starlib.auth.http.ResponseBodies.Login;
import dev.starlib.auth.http.ResponseBodies.RefreshedTokens;
import dev.starlib.auth.http.client.Client;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * The endpoints that run a use case: parse the request, call the use case, turn its result into a status
 * and a body. Bad input stops a handler with a {@link RejectedRequest}; the error handler writes it.
 */
final class AuthRoutes {

    private final AuthUseCases useCases;
    private final Pages pages;
    private final FairUse fairUse;

    AuthRoutes(AuthUseCases useCases, Pages pages, FairUse fairUse) {
        this.useCases = useCases;
        this.pages = pages;
        this.fairUse = fairUse;
    }

    void register(HttpRules rules) {
        Endpoint.AUTHORIZE.route(rules, this::authorize);
        Endpoint.REDIRECT.route(rules, this::redirect);
        Endpoint.RESULT.route(rules, this::result);
        Endpoint.CALLBACK.route(rules, this::callback);
        Endpoint.REFRESH.route(rules, this::refresh);
        Endpoint.SIGN_OUT.route(rules, this::signOut);
    }

    private void authorize(ServerRequest request, ServerResponse response) {
        Optional<String> returnTo = QueryParameters.of(request).optional("return_to");
        Client client = client(request);
        switch (useCases.startLogin().start(returnTo, client.key())) {
            case StartLogin.Result.Started started ->
                    ApiJson.sendWritten(response, Status.OK_200, Authorization.of(started.url(), started.state()).json());
            case StartLogin.Result.ReturnToRejected rejected ->
                    ProblemWriter.write(response, new Problem(Status.BAD_REQUEST_400, "invalid_return_to", rejected.reason()));
            case StartLogin.Result.Busy busy -> {
                response.header(HeaderNames.RETRY_AFTER, String.valueOf(wholeSeconds(busy.retryAfter())));
                ProblemWriter.write(response, new Problem(Status.SERVICE_UNAVAILABLE_503, "server_busy",
                        "Too many sign-ins are in progress right now. Please try again in a moment."));
            }
            case StartLogin.Result.TooManyPending quota -> {
                fairUse.events().clientLimited("authorize", "pending_quota", client.address().masked());
                Throttle.tooManyRequests(response, quota.retryAfter(), "Your network has " + quota.limit()
                        + " sign-ins waiting to be finished. Finish one of them, or try again later.");
            }
        }
    }

    private void redirect(ServerRequest request, ServerResponse response) {
        SoundCloudRedirect redirect = soundCloudRedirect(QueryParameters.of(request));
        switch (useCases.completeLogin().onRedirect(redirect)) {
            case CompleteLogin.RedirectResult.SendBrowserTo sendTo -> {
                response.status(Status.SEE_OTHER_303);
                response.header(HeaderNames.LOCATION, sendTo.location().toASCIIString());
                response.send();
            }
            case CompleteLogin.RedirectResult.StateRejected rejected -> {
                Problem problem = Problem.invalidState(rejected.rejection().detail());
                if (Unrouted.prefersHtml(request)) {
                    pages.signInRejected(response, problem);
                } else {
                    ProblemWriter.write(response, problem);
                }
            }
        }
    }

    private void result(ServerRequest request, ServerResponse response) {
        // A state that cannot be ours is answered like an unknown one: 404, keep polling (or give up).
        Optional<State> state = State.parse(QueryParameters.of(request).required("state"));
        if (state.isEmpty()) {
            ProblemWriter.write(response, resultPending());
            return;
        }
        Optional<ClientKey> boundTo = fairUse.bindPickup() ? Optional.of(client(request).key()) : Optional.empty();
        switch (useCases.pickUpLogin().pickUp(state.get(), boundTo)) {
            case PickUpLogin.Result.Ready ready -> sendOutcome(response, ready.outcome());
            case PickUpLogin.Result.NotReady notReady -> ProblemWriter.write(response, resultPending());
            case PickUpLogin.Result.OtherClient other -> ProblemWriter.write(response, new Problem(Status.FORBIDDEN_403,
                    "client_mismatch", "This sign-in was started from another network address. Finish it on the "
                    + "device that started it, or sign in again here."));
            case PickUpLogin.Result.AlreadyPickedUp pickedUp -> ProblemWriter.write(response, new Problem(Status.GONE_410,
                    "already_picked_up", "This sign-in result has already been collected. Sign in again if you need new tokens."));
        }
    }

    private void callback(ServerRequest request, ServerResponse response) {
        JsonBody body = JsonBody.read(request);
        String rawCode = body.requiredText("code");
        State state = parseState(body.requiredText("state"));
        AuthorizationCode code = AuthorizationCode.parse(rawCode).orElseThrow(AuthRoutes::invalidCode);
        switch (useCases.completeLogin().onCallback(state, code)) {
            case CompleteLogin.CallbackResult.Finished finished -> sendOutcome(response, finished.outcome());
            case CompleteLogin.CallbackResult.StateRejected rejected ->
                    ProblemWriter.write(response, Problem.invalidState(rejected.rejection().detail()));
        }
    }

    private void refresh(ServerRequest request, ServerResponse response) {
        RefreshToken refreshToken = RefreshToken.parse(JsonBody.read(request).requiredText("refresh_token"))
                .orElseThrow(() -> new RejectedRequest(Problem.invalidRequest("The refresh_token is not a valid token.")));
        switch (useCases.refreshTokens().refresh(refreshToken)) {
            case RefreshTokens.Result.Refreshed refreshed ->
                    ApiJson.send(response, Status.OK_200, RefreshedTokens.of(refreshed.tokens()));
            case RefreshTokens.Result.Failed failed ->
                    ProblemWriter.write(response, FailureProblems.ofRefresh(failed.failure()));
        }
    }

    /** 204 once the session is gone at SoundCloud (ended now, or the token was already invalid there). */
    private void signOut(ServerRequest request, ServerResponse response) {
        JsonBody body = JsonBody.read(request);
        AccessToken accessToken = AccessToken.parse(body.requiredText("access_token"))
                .orElseThrow(() -> new RejectedRequest(Problem.invalidRequest("The access_token is not a valid token.")));
        Optional<RefreshToken> refreshToken = body.optionalText("refresh_token").map(raw -> RefreshToken.parse(raw)
                .orElseThrow(() -> new RejectedRequest(Problem.invalidRequest("The refresh_token is not a valid token."))));
        switch (useCases.signOut().signOut(accessToken, refreshToken)) {
            case SignOut.Result.Ended ended -> response.status(Status.NO_CONTENT_204).send();
            case SignOut.Result.Failed failed -> ProblemWriter.write(response, FailureProblems.ofSignOut(failed.failure()));
        }
    }

    /** SoundCloud sends either a code (approved) or an error (refused), always with our state. */
    private static SoundCloudRedirect soundCloudRedirect(QueryParameters query) {
        String rawState = query.required("state");
        Optional<String> code = query.optional("code");
        Optional<String> error = query.optional("error");
        Optional<String> description = query.optional("error_description");
        State state = parseState(rawState);
        if (code.isPresent() == error.isPresent()) {
            throw new RejectedRequest(Problem.invalidRequest("The redirect must carry either a code or an error."));
        }
        if (error.isPresent()) {
            return new SoundCloudRedirect.Refused(state, error.get(), description);
        }
        return new SoundCloudRedirect.Approved(state, AuthorizationCode.parse(code.get()).orElseThrow(AuthRoutes::invalidCode));
    }

    private static void sendOutcome(ServerResponse response, LoginOutcome outcome) {
        switch (outcome) {
            case LoginOutcome.Succeeded succeeded -> ApiJson.send(response, Status.OK_200, Login.of(succeeded));
            case LoginOutcome.Failed failed -> ProblemWriter.write(response, FailureProblems.ofLogin(failed.failure()));
        }
    }

    private static State parseState(String raw) {
        return State.parse(raw).orElseThrow(() ->
                new RejectedRequest(Problem.invalidState("The state is not one this service issues. Start the sign-in again.")));
    }

    private static RejectedRequest invalidCode() {
        return new RejectedRequest(Problem.invalidRequest("The code is not a valid authorization code."));
    }

    private static Problem resultPending() {
        return new Problem(Status.NOT_FOUND_404, "result_pending",
                "The sign-in has not finished yet (or this state is not known here). Poll again in a moment.");
    }

    private static long wholeSeconds(Duration duration) {
        return Throttle.wholeSeconds(duration);
    }

    /** Throttle put it in the request's context; without one (a routing that has none) it is worked out here. */
    private Client client(ServerRequest request) {
        return request.context().get(Client.class).orElseGet(() -> fairUse.clients().of(request));
    }
}
