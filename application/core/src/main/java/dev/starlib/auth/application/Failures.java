package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;

/** The one place where a failed SoundCloud call becomes the failure a client is told about, worded once. */
final class Failures {

    /** Which call failed: the same answer from SoundCloud means different things to the user. */
    enum Call {
        CODE_EXCHANGE("SoundCloud did not accept the sign-in code (it may have expired or been used). Please sign in again."),
        REFRESH("SoundCloud no longer accepts this refresh token. Please sign in again."),
        /** A token SoundCloud has just issued and then refuses on /me is SoundCloud misbehaving, not a dead grant. */
        ME(null);

        private final String invalidGrant;

        Call(String invalidGrant) {
            this.invalidGrant = invalidGrant;
        }
    }

    private Failures() {
    }

    static LoginFailure of(UpstreamResult.Failure<?> failure, Call call) {
        return switch (failure) {
            case UpstreamResult.Rejected<?> rejected when call == Call.ME -> unavailable();
            case UpstreamResult.Rejected<?> rejected when rejected.isInvalidGrant() ->
                    new LoginFailure(Reason.INVALID_GRANT, call.invalidGrant);
            case UpstreamResult.Rejected<?> rejected when rejected.isInvalidClient() ->
                    new LoginFailure(Reason.INVALID_CLIENT, "SoundCloud does not accept this app's credentials. "
                            + "An operator must check CLIENT_ID and CLIENT_SECRET.");
            case UpstreamResult.Rejected<?> rejected -> new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                    "SoundCloud refused the request (" + rejected.error() + "). Please try again later.");
            case UpstreamResult.Unavailable<?> unavailable -> unavailable();
            case UpstreamResult.RateLimited<?> rateLimited -> new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                    "SoundCloud is limiting how often this app may call it right now. Please try again later.");
            case UpstreamResult.TimedOut<?> timedOut -> new LoginFailure(Reason.UPSTREAM_TIMEOUT,
                    "SoundCloud did not answer in time. Please try again in a moment.");
        };
    }

    private static LoginFailure unavailable() {
        return new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud is not answering properly right now. Please try again in a moment.");
    }
}
