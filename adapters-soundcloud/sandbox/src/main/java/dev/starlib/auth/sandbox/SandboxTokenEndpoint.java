package dev.starlib.auth.sandbox;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /oauth/token} as strict as SoundCloud: client authentication in the form body, single-use codes bound
 * to client, redirect URI and PKCE challenge, and rotating single-use refresh tokens. The client-credentials grant (the
 * app's own token) authenticates the client with HTTP Basic instead, as SoundCloud's guide asks for it, and with
 * nothing else: one method per request (RFC 6749 §2.3).
 */
final class SandboxTokenEndpoint {

    /** SoundCloud does not say; long enough that only rotation and revocation end a refresh token in a test. */
    static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);

    private final SandboxSettings settings;
    private final SandboxControl control;
    private final SandboxGrants grants;
    private final Clock clock;

    SandboxTokenEndpoint(SandboxSettings settings, SandboxControl control, SandboxGrants grants, Clock clock) {
        this.settings = settings;
        this.control = control;
        this.grants = grants;
        this.clock = clock;
    }

    /** @param authorization the request's {@code Authorization} header, if any */
    TokenOutcome token(OAuthParameters form, Optional<String> authorization) {
        Optional<String> repeated = form.repeatedName();
        if (repeated.isPresent()) {
            return TokenOutcome.Refused.invalidRequest(repeated.get() + " must not be sent more than once.");
        }
        if (form.single("grant_type").filter("client_credentials"::equals).isPresent()) {
            return clientCredentials(form, authorization);
        }
        if (authorization.isPresent()) {
            return TokenOutcome.Refused.invalidRequest("This grant authenticates the client in the form body "
                    + "(client_id, client_secret): send no Authorization header.");
        }
        if (!clientAuthenticated(form)) {
            return new TokenOutcome.Refused(401, "invalid_client", "Client authentication failed.");
        }
        Optional<String> grantType = form.single("grant_type");
        if (grantType.isEmpty()) {
            return TokenOutcome.Refused.invalidRequest("grant_type is missing.");
        }
        return switch (grantType.get()) {
            case "authorization_code" -> redeemCode(form);
            case "refresh_token" -> refresh(form);
            default -> new TokenOutcome.Refused(400, "unsupported_grant_type",
                    "grant_type must be authorization_code, refresh_token or client_credentials.");
        };
    }

    /**
     * The app's own token: {@code Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))} and
     * a body of {@code grant_type} alone. It comes with a refresh token, as SoundCloud's does.
     */
    private TokenOutcome clientCredentials(OAuthParameters form, Optional<String> authorization) {
        if (form.single("client_id").isPresent() || form.single("client_secret").isPresent()) {
            return TokenOutcome.Refused.invalidRequest("Authenticate the client with HTTP Basic only: a request uses "
                    + "one way of client authentication, and this grant's is Basic.");
        }
        Optional<String[]> basic = authorization.flatMap(SandboxTokenEndpoint::basicCredentials);
        if (basic.isEmpty()) {
            return new TokenOutcome.Refused(401, "invalid_client",
                    "Client credentials go in Authorization: Basic base64(client_id:client_secret).");
        }
        boolean idMatches = constantTimeEquals(basic.get()[0], settings.clientId());
        boolean secretMatches = constantTimeEquals(basic.get()[1], settings.clientSecret());
        SandboxSwitches.AppTokenFailure failure = control.current().appTokenFailure();
        if (!(idMatches & secretMatches) || failure == SandboxSwitches.AppTokenFailure.INVALID_CLIENT) {
            return new TokenOutcome.Refused(401, "invalid_client", "Client authentication failed.");
        }
        if (failure == SandboxSwitches.AppTokenFailure.RATE_LIMITED) {
            return new TokenOutcome.RateLimited(now().plus(SandboxSwitches.RATE_LIMIT_RESET));
        }
        return issueTokens(settings.clientId(), IssuedToken.APP);
    }

    /** The id and secret of a Basic header, each form-decoded (RFC 6749 §2.3.1); empty when it is not one. */
    private static Optional<String[]> basicCredentials(String header) {
        String value = header.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return Optional.empty();
        }
        try {
            String pair = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(value.substring(6).strip()))).toString();
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException | CharacterCodingException notBasic) {
            return Optional.empty();
        }
    }

    /** Both values are compared, each in constant time, so the answer's timing says nothing about either. */
    private boolean clientAuthenticated(OAuthParameters form) {
        Optional<String> id = form.single("client_id");
        Optional<String> secret = form.single("client_secret");
        if (id.isEmpty() || secret.isEmpty()) {
            return false;
        }
        boolean idMatches = constantTimeEquals(id.get(), settings.clientId());
        boolean secretMatches = constantTimeEquals(secret.get(), settings.clientSecret());
        return idMatches & secretMatches;
    }

    private TokenOutcome redeemCode(OAuthParameters form) {
        Optional<String> code = form.single("code");
        Optional<String> redirectUri = form.single("redirect_uri");
        if (code.isEmpty() || redirectUri.isEmpty()) {
            return TokenOutcome.Refused.invalidRequest("code and redirect_uri are required.");
        }
        // Taking the code burns it whatever happens next: a code with a wrong verifier is not tried twice.
        Optional<IssuedCode> issued = grants.codes.take(code.get(), now());
        if (issued.isEmpty()) {
            return TokenOutcome.Refused.invalidGrant("The authorization code is invalid, expired or already used.");
        }
        IssuedCode grant = issued.get();
        if (!grant.clientId().equals(settings.clientId())) {
            return TokenOutcome.Refused.invalidGrant("The authorization code was issued to another client.");
        }
        if (!grant.redirectUri().toString().equals(redirectUri.get())) {
            return TokenOutcome.Refused.invalidGrant("redirect_uri does not match the authorization request.");
        }
        Optional<String> verifier = form.single("code_verifier");
        if (verifier.isEmpty()) {
            return TokenOutcome.Refused.invalidGrant("code_verifier is required: the authorization used PKCE.");
        }
        if (!Pkce.verifierMatches(verifier.get(), grant.codeChallenge())) {
            return TokenOutcome.Refused.invalidGrant("code_verifier does not match the code_challenge.");
        }
        return issueTokens(grant.clientId(), grant.userId());
    }

    private TokenOutcome refresh(OAuthParameters form) {
        Optional<String> refreshToken = form.single("refresh_token");
        if (refreshToken.isEmpty()) {
            return TokenOutcome.Refused.invalidRequest("refresh_token is required.");
        }
        // SoundCloud's clients send redirect_uri on refresh too; a wrong one is a client bug worth showing.
        Optional<String> redirectUri = form.single("redirect_uri");
        if (redirectUri.isPresent() && !redirectUri.get().equals(settings.registeredRedirectUri().toString())) {
            return TokenOutcome.Refused.invalidGrant("redirect_uri is not the one registered for this client.");
        }
        // Single use: the presented token dies here, whatever the answer.
        Optional<IssuedToken> issued = grants.refreshTokens.take(refreshToken.get(), now());
        if (control.current().refreshFailure() == SandboxSwitches.RefreshFailure.INVALID_GRANT) {
            return TokenOutcome.Refused.invalidGrant("The refresh token was revoked (sandbox switch refresh_failure).");
        }
        if (issued.isEmpty() || !issued.get().clientId().equals(settings.clientId())) {
            return TokenOutcome.Refused.invalidGrant("The refresh token is invalid, expired or already used.");
        }
        return issueTokens(issued.get().clientId(), issued.get().userId());
    }

    private TokenOutcome.Issued issueTokens(String clientId, long userId) {
        Duration lifetime = control.current().expiresIn().orElse(settings.accessTokenLifetime());
        Instant now = now();
        String accessToken = grants.newSecret();
        String refreshToken = grants.newSecret();
        String session = grants.newSecret();
        grants.accessTokens.put(accessToken, new IssuedToken(clientId, userId, now.plus(lifetime), session), now);
        grants.refreshTokens.put(refreshToken,
                new IssuedToken(clientId, userId, now.plus(REFRESH_TOKEN_LIFETIME), session), now);
        return new TokenOutcome.Issued(accessToken, refreshToken, lifetime.toSeconds());
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private Instant now() {
        return clock.instant();
    }
}
