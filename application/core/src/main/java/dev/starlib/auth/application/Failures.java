package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;

/** The failures both login and refresh report, worded once. */
final class Failures {

    private Failures() {
    }

    static LoginFailure unavailable() {
        return new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud is not answering properly right now. Please try again in a moment.");
    }

    static LoginFailure timeout() {
        return new LoginFailure(Reason.UPSTREAM_TIMEOUT,
                "SoundCloud did not answer in time. Please try again in a moment.");
    }

    /** A rejection other than invalid_grant: our credentials, or a request SoundCloud did not understand. */
    static LoginFailure forRejection(UpstreamResult.Rejected<?> rejected) {
        if (rejected.isInvalidClient()) {
            return new LoginFailure(Reason.INVALID_CLIENT,
                    "SoundCloud does not accept this app's credentials. An operator must check CLIENT_ID and CLIENT_SECRET.");
        }
        return new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud refused the request (" + rejected.error() + "). Please try again later.");
    }
}
