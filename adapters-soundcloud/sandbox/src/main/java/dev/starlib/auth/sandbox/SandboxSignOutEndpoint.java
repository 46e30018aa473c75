package dev.starlib.auth.sandbox;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code POST /sign-out} as SoundCloud's OpenAPI document lists it: "invalidates session associated with current
 * token", with {@code Authorization: OAuth <access_token>} and no body. That access token and the refresh token
 * issued with it die; a token that is not (or no longer) live is a 401.
 */
final class SandboxSignOutEndpoint {

    /** What the sign-out answers. */
    sealed interface Outcome {
        record SignedOut() implements Outcome {
        }

        record Unauthorized(String description) implements Outcome {
        }
    }

    private final SandboxGrants grants;
    private final Clock clock;

    SandboxSignOutEndpoint(SandboxGrants grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    Outcome signOut(Optional<String> authorization) {
        return switch (OAuthAuthorization.parse(authorization)) {
            case OAuthAuthorization.Parsed.Refused refused -> new Outcome.Unauthorized(refused.description());
            case OAuthAuthorization.Parsed.Token token -> grants.accessTokens.find(token.value(), clock.instant())
                    .<Outcome>map(grant -> {
                        grants.accessTokens.removeIf(issued -> issued.session().equals(grant.session()));
                        grants.refreshTokens.removeIf(issued -> issued.session().equals(grant.session()));
                        return new Outcome.SignedOut();
                    })
                    .orElseGet(() -> new Outcome.Unauthorized("The access token is invalid or expired."));
        };
    }
}
