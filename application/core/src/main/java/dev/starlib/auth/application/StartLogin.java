package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeChallenge;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.LoginSecrets;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.QueryString;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.State;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code GET /authorize}: starts a login with fresh PKCE and state, and says where to send the user. */
public final class StartLogin {

    private static final System.Logger LOG = System.getLogger(StartLogin.class.getName());
    /** How long a client should wait before retrying when the store is full: about one sweep interval. */
    static final Duration RETRY_WHEN_FULL = Duration.ofSeconds(30);

    private final AuthorizationSettings settings;
    private final ReturnToPolicy policy;
    private final SessionStore store;
    private final SecureRandom random;
    private final Clock clock;
    private final AuthEvents events;
    /** The authorization URL up to its per-login parameters (no fragment); built on first use, the same each time. */
    private volatile String fixedPart;

    public StartLogin(AuthorizationSettings settings, ReturnToPolicy policy, SessionStore store,
                      SecureRandom random, Clock clock, AuthEvents events) {
        this.settings = settings;
        this.policy = policy;
        this.store = store;
        this.random = random;
        this.clock = clock;
        this.events = events;
    }

    public sealed interface Result {
        /** The login is stored; send the user to {@code authorizationUrl}. */
        /**
         * @param url the authorization URL's text: a checked base with percent-encoded parameters appended, so a
         *            valid URI; kept as text because parsing it again cost the route more than anything else it
         *            does itself (about 15 % of {@code /authorize}'s samples)
         */
        record Started(String url, State state) implements Result {

            /** {@link #url()} as a URI (parsed on each call: for readers that need its parts). */
            public URI authorizationUrl() {
                return URI.create(url);
            }

            /** The URL carries the full state, which must not reach a log. */
            @Override
            public String toString() {
                return "Started[authorizationUrl=" + Redaction.withoutQuery(authorizationUrl()) + ", state=" + state + "]";
            }
        }

        record ReturnToRejected(String reason) implements Result {
        }

        /** Too many logins in flight; nothing was stored. */
        record Busy(Duration retryAfter) implements Result {
        }

        /** This client already has as many logins waiting as it may ({@code PENDING_PER_CLIENT}); nothing was stored. */
        record TooManyPending(int limit, Duration retryAfter) implements Result {
        }
    }

    /** @param requestedReturnTo the client's return_to, or empty to use the configured default */
    public Result start(Optional<String> requestedReturnTo) {
        return start(requestedReturnTo, ClientKey.UNKNOWN);
    }

    /**
     * @param requestedReturnTo the client's return_to, or empty to use the configured default
     * @param client            who asks: the login takes one of that client's pending places
     */
    public Result start(Optional<String> requestedReturnTo, ClientKey client) {
        ReturnTo returnTo;
        if (requestedReturnTo.isEmpty()) {
            returnTo = settings.defaultReturnTo();
        } else {
            switch (policy.check(requestedReturnTo.get())) {
                case ReturnToPolicy.Verdict.Accepted accepted -> returnTo = accepted.returnTo();
                case ReturnToPolicy.Verdict.Rejected rejected -> {
                    LOG.log(System.Logger.Level.INFO, "login refused: {0}", rejected.reason());
                    return new Result.ReturnToRejected(rejected.reason());
                }
            }
        }
        LoginSecrets secrets = LoginSecrets.generate(random);
        State state = secrets.state();
        CodeVerifier verifier = secrets.verifier();
        Instant now = clock.instant();
        PendingAuthorization pending = PendingAuthorization.start(state, verifier, returnTo, now,
                settings.pendingTtl(), client);
        return switch (store.create(new OAuthSession.Pending(pending), settings.pendingPerClient())) {
            case SessionStore.Creation.QuotaExceeded quota -> {
                // Logged at FINE: a flood would write one line per request; the rate-limit metric counts them.
                LOG.log(System.Logger.Level.DEBUG, "login refused: client at its quota of {0} pending logins",
                        quota.limit());
                yield new Result.TooManyPending(quota.limit(), retryAfter(now, quota.nextPlaceAt()));
            }
            case SessionStore.Creation.Full full -> {
                LOG.log(System.Logger.Level.WARNING, "login refused: session store is full ({0} sessions)", full.capacity());
                yield new Result.Busy(RETRY_WHEN_FULL);
            }
            case SessionStore.Creation.Created created -> {
                events.loginStarted();
                LOG.log(System.Logger.Level.INFO, "login started state={0}… return_to_origin={1}",
                        state.hint(), returnTo.origin());
                yield new Result.Started(authorizationUrl(state, verifier.challenge()), state);
            }
        };
    }

    private static Duration retryAfter(Instant now, Instant nextPlaceAt) {
        Duration wait = Duration.between(now, nextPlaceAt);
        return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
    }

    /**
     * What {@code QueryString.append} gives for the endpoint and the parameters client_id, redirect_uri,
     * response_type, code_challenge, code_challenge_method and state, in that order, without building the fixed
     * part or parsing the result on every request.
     */
    private String authorizationUrl(State state, CodeChallenge challenge) {
        String fixed = fixedPart;
        if (fixed == null) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("client_id", settings.clientId());
            query.put("redirect_uri", settings.redirectUri().toString());
            query.put("response_type", "code");
            URI withFixed = QueryString.append(settings.authorizeEndpoint(), query);
            String text = withFixed.toString();
            fixed = withFixed.getRawFragment() == null ? text
                    : text.substring(0, text.length() - withFixed.getRawFragment().length() - 1);
            fixedPart = fixed;
        }
        String fragment = settings.authorizeEndpoint().getRawFragment();
        return fixed + "&code_challenge=" + QueryString.encode(challenge.value())
                + "&code_challenge_method=" + QueryString.encode(challenge.method())
                + "&state=" + QueryString.encode(state.value())
                + (fragment == null ? "" : "#" + fragment);
    }
}
