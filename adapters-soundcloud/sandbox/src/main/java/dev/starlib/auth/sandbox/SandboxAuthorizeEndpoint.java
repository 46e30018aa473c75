package dev.starlib.auth.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The front channel: {@code GET /authorize} checks the request as a real authorization server would, then asks
 * a tester for consent or approves at once; the consent form's answer ends in a redirect back to the client.
 */
final class SandboxAuthorizeEndpoint {

    /** Authorization codes are short-lived (RFC 6749 §4.1.2 recommends at most ten minutes; SoundCloud is brief). */
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final Duration CONSENT_LIFETIME = Duration.ofMinutes(10);

    private final SandboxSettings settings;
    private final SandboxControl control;
    private final SandboxGrants grants;
    private final Clock clock;

    SandboxAuthorizeEndpoint(SandboxSettings settings, SandboxControl control, SandboxGrants grants, Clock clock) {
        this.settings = settings;
        this.control = control;
        this.grants = grants;
        this.clock = clock;
    }

    AuthorizeOutcome authorize(OAuthParameters query) {
        Optional<String> repeated = query.repeatedName();
        if (repeated.isPresent()) {
            return new AuthorizeOutcome.Refused("invalid_request", repeated.get() + " must not be sent more than once.");
        }
        Optional<String> clientId = query.single("client_id");
        if (clientId.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request", "client_id is missing.");
        }
        if (!clientId.get().equals(settings.clientId())) {
            return new AuthorizeOutcome.Refused("invalid_client", "client_id " + clientId.get() + " is not registered.");
        }
        Optional<String> redirectUri = query.single("redirect_uri");
        if (redirectUri.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request", "redirect_uri is missing.");
        }
        String registered = settings.registeredRedirectUri().toString();
        if (!redirectUri.get().equals(registered)) {
            return new AuthorizeOutcome.Refused("invalid_request", "redirect_uri " + redirectUri.get()
                    + " is not the one registered for this client (" + registered + "); it must match exactly.");
        }
        // From here on the redirect URI is trusted, and RFC 6749 would allow sending these errors back to it. Like
        // several real servers, the sandbox shows them on a page instead: it points a developer at the mistake.
        if (!query.single("response_type").filter("code"::equals).isPresent()) {
            return new AuthorizeOutcome.Refused("unsupported_response_type", "response_type must be code.");
        }
        if (!query.single("code_challenge_method").filter("S256"::equals).isPresent()) {
            return new AuthorizeOutcome.Refused("invalid_request", "code_challenge_method must be S256 (PKCE).");
        }
        Optional<String> challenge = query.single("code_challenge").filter(Pkce::isWellFormed);
        if (challenge.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request",
                    "code_challenge is missing or is not 43 to 128 characters of [A-Za-z0-9-._~].");
        }
        Optional<String> sandboxUser = query.single("sandbox_user");
        Optional<SandboxUser> namedUser = sandboxUser.flatMap(SandboxUsers::byId);
        if (sandboxUser.isPresent() && namedUser.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request", "sandbox_user " + sandboxUser.get()
                    + " is not a test user.");
        }

        var request = new AuthorizationRequest(clientId.get(), settings.registeredRedirectUri(),
                query.single("state"), challenge.get());
        if (settings.autoApprove() || query.single("prompt").filter("none"::equals).isPresent()) {
            return answer(request, Optional.of(namedUser.orElse(SandboxUsers.defaultUser())));
        }
        String requestId = grants.newSecret();
        grants.pendingConsents.put(requestId, new PendingConsent(request, now().plus(CONSENT_LIFETIME)), now());
        return new AuthorizeOutcome.AskConsent(new ConsentPage(requestId, request.clientId(),
                request.redirectUri().toString(), request.state().orElse(""), SandboxUsers.all(),
                control.current().denyConsent()));
    }

    /** The consent form's answer: {@code request_id}, {@code decision} ({@code approve}|{@code deny}), {@code user_id}. */
    AuthorizeOutcome decide(OAuthParameters form) {
        Optional<String> repeated = form.repeatedName();
        if (repeated.isPresent()) {
            return new AuthorizeOutcome.Refused("invalid_request", repeated.get() + " must not be sent more than once.");
        }
        Optional<String> decision = form.single("decision").filter(d -> d.equals("approve") || d.equals("deny"));
        if (decision.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request", "decision must be approve or deny.");
        }
        boolean approve = decision.get().equals("approve");
        Optional<SandboxUser> user = form.single("user_id").flatMap(SandboxUsers::byId);
        if (approve && user.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request", "Pick one of the test users to approve as.");
        }
        Optional<PendingConsent> pending = form.single("request_id")
                .flatMap(id -> grants.pendingConsents.take(id, now()));
        if (pending.isEmpty()) {
            return new AuthorizeOutcome.Refused("invalid_request",
                    "This sign-in request is unknown, expired or already answered. Start the sign-in again.");
        }
        return answer(pending.get().request(), approve ? user : Optional.empty());
    }

    /** Approve as {@code user}, or deny when there is none, when the switch says so, or when the user always denies. */
    private AuthorizeOutcome answer(AuthorizationRequest request, Optional<SandboxUser> user) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (user.isEmpty()) {
            denial(parameters, "The user denied the authorization request.");
        } else if (control.current().denyConsent()) {
            denial(parameters, "The user denied the authorization request (sandbox switch deny_consent).");
        } else if (user.get().deniesConsent()) {
            denial(parameters, "The user denied the authorization request (" + user.get().username()
                    + " always denies).");
        } else {
            String code = grants.newSecret();
            grants.codes.put(code, new IssuedCode(request.clientId(), request.redirectUri(), request.codeChallenge(),
                    user.get().id(), now().plus(CODE_LIFETIME)), now());
            parameters.put("code", code);
        }
        request.state().ifPresent(state -> parameters.put("state", state));
        return new AuthorizeOutcome.RedirectBack(RedirectUris.withParameters(request.redirectUri(), parameters));
    }

    private static void denial(Map<String, String> parameters, String description) {
        parameters.put("error", "access_denied");
        parameters.put("error_description", description);
    }

    private Instant now() {
        return clock.instant();
    }
}
