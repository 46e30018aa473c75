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
            case OAuthAuthorization.Parsed.Token token -> grants.accessTokens.find(token.value(), clock.instant())
                    .flatMap(grant -> SandboxUsers.byId(grant.userId()))
                    .<MeOutcome>map(MeOutcome.Found::new)
                    .orElseGet(() -> new MeOutcome.Unauthorized("The access token is invalid or expired."));
        };
    }
}
