package dev.starlib.auth.sandbox;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/** {@code GET /me}: the user behind {@code Authorization: OAuth <access_token>}, SoundCloud's scheme. */
final class SandboxMeEndpoint {

    private static final String SCHEME = "oauth ";

    private final SandboxGrants grants;
    private final Clock clock;

    SandboxMeEndpoint(SandboxGrants grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    MeOutcome me(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return new MeOutcome.Unauthorized("Authorization: OAuth <access_token> is required.");
        }
        String header = authorization.get().strip();
        // Auth schemes are case-insensitive (RFC 9110 §11.1); the scheme itself must be SoundCloud's.
        if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return new MeOutcome.Unauthorized("Use the OAuth scheme: Authorization: OAuth <access_token>.");
        }
        String token = header.substring(SCHEME.length()).strip();
        if (token.isEmpty()) {
            return new MeOutcome.Unauthorized("The access token is missing.");
        }
        Optional<IssuedToken> grant = grants.accessTokens.find(token, clock.instant());
        if (grant.filter(g -> g.userId() == IssuedToken.APP).isPresent()) {
            // As SoundCloud: a client-credentials token reaches public resources, never a user's own.
            return new MeOutcome.Unauthorized("This is an app token (client credentials): /me needs a user's token.");
        }
        return grant.flatMap(issued -> SandboxUsers.byId(issued.userId()))
                .<MeOutcome>map(MeOutcome.Found::new)
                .orElseGet(() -> new MeOutcome.Unauthorized("The access token is invalid or expired."));
    }
}
