package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;

/**
 * Puts the real breaker in the state an outage leaves it in, for tests of what operators see. In the breaker's own
 * package, as only its use cases may ask it for a permit.
 */
public final class OpenBreakers {

    private OpenBreakers() {
    }

    /** A run of token calls that got no answer, as long as the breaker needs to open. */
    public static void open(TokenEndpointBreaker breaker, int failuresToOpen) {
        for (int i = 0; i < failuresToOpen; i++) {
            if (breaker.permit(UpstreamEndpoint.TOKEN_REFRESH) instanceof TokenEndpointBreaker.Permit.Call call) {
                breaker.record(call, new UpstreamResult.Unavailable<>("HTTP 503"));
            }
        }
        if (breaker.status().state() != TokenEndpointBreaker.State.OPEN) {
            throw new IllegalStateException("the breaker did not open");
        }
    }
}
