package dev.starlib.auth.sandbox;

import java.time.Clock;
import java.util.Optional;

/** {@code GET /me}: the user behind {@code Authorization: OAuth <access_token>}, SoundCloud's scheme. */
final class SandboxMeEndpoint {

    private final SandboxGrants grants;
    private final Clock clock;

    SandboxMeEndpoint(SandboxGrants grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    MeOutcome me(Optional<String> authorization) {
        return switch (OAuthAuthorization.parse(authorization)) {
            case OAuthAuthorization.Parsed.Refused refused -> new MeOutcome.Unauthorized(refused.description());
            case OAuthAuthorization.Parsed.Token token -> user(grants.accessTokens.find(token.value(), clock.instant()));
        };
    }

    private MeOutcome user(Optional<IssuedToken> grant) {
        if (grant.filter(g -> g.userId() == IssuedToken.APP).isPresent()) {
            // As SoundCloud: a client-credentials token reaches public resources, never a user's own.
            return new MeOutcome.Unauthorized("This is an app token (client credentials): /me needs a user's token.");
        }
        return grant.flatMap(issued -> SandboxUsers.byId(issued.userId()))
                .<MeOutcome>map(MeOutcome.Found::new)
                .orElseGet(() -> new MeOutcome.Unauthorized("The access token is invalid or expired."));
    }
}
