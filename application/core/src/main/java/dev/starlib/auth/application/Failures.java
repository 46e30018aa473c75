package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;

import java.time.Duration;
import java.util.Optional;

/** The one place where a failed SoundCloud call becomes the failure a client is told about, worded once. */
final class Failures {

    /** Which call failed: the same answer from SoundCloud means different things to the user. */
    enum Call {
        CODE_EXCHANGE("SoundCloud did not accept the sign-in code (it may have expired or been used). Please sign in again.",
                "SoundCloud did not answer in time. Please try again in a moment."),
        REFRESH("SoundCloud no longer accepts this refresh token. Please sign in again.",
                // SoundCloud may have rotated the token before the answer was lost: a retry within the reuse
                // window gets that answer, if it came.
                "SoundCloud did not answer in time, so this refresh token may or may not have been used. "
                        + "Try again; if it keeps failing, sign in again."),
        /** A token SoundCloud has just issued and then refuses on /me is SoundCloud misbehaving, not a dead grant. */
        ME(null, "SoundCloud did not answer in time. Please try again in a moment."),
        SIGN_OUT(null, "SoundCloud did not answer in time, so the session may still be active there. "
                + "Please try signing out again.");

        private final String invalidGrant;
        private final String timedOut;

        Call(String invalidGrant, String timedOut) {
            this.invalidGrant = invalidGrant;
            this.timedOut = timedOut;
        }
    }

    /**
     * The longest wait a client is told after a 429. SoundCloud's reset may lie hours away (its longest window is
     * 12 h); a user's refresh or sign-in asks again after an hour at the latest, so a bogus far-off time locks
     * nobody out, and a retry that comes too early is only refused again.
     */
    static final Duration LONGEST_ADVISED_WAIT = Duration.ofHours(1);

    private Failures() {
    }

    static LoginFailure of(UpstreamResult.Failure<?> failure, Call call) {
        return switch (failure) {
            case UpstreamResult.Rejected<?> rejected when call.invalidGrant == null -> unavailable();
            case UpstreamResult.Rejected<?> rejected when rejected.isInvalidGrant() ->
                    new LoginFailure(Reason.INVALID_GRANT, call.invalidGrant);
            case UpstreamResult.Rejected<?> rejected when rejected.isInvalidClient() ->
                    new LoginFailure(Reason.INVALID_CLIENT, "SoundCloud does not accept this app's credentials. "
                            + "An operator must check CLIENT_ID and CLIENT_SECRET.");
            case UpstreamResult.Rejected<?> rejected -> new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                    "SoundCloud refused the request (" + rejected.error() + "). Please try again later.");
            case UpstreamResult.Unavailable<?> unavailable -> unavailable();
            case UpstreamResult.TimedOut<?> timedOut -> timedOut(call);
            case UpstreamResult.RateLimited<?> limited -> new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                    "SoundCloud is limiting how often this app may call it right now. Please try again later.",
                    limited.retryAfter().map(Failures::atMostAnHour));
        };
    }

    /** The request waited as long as a client may and SoundCloud had not answered. */
    static LoginFailure timedOut(Call call) {
        return new LoginFailure(Reason.UPSTREAM_TIMEOUT, call.timedOut);
    }

    /** The breaker is open: nothing was sent to SoundCloud. */
    static LoginFailure breakerOpen(Duration retryAfter) {
        return new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud is not answering right now, so sign-ins and refreshes are paused for a moment. "
                        + "Please try again shortly.", Optional.of(retryAfter));
    }

    private static Duration atMostAnHour(Duration wait) {
        return wait.compareTo(LONGEST_ADVISED_WAIT) > 0 ? LONGEST_ADVISED_WAIT : wait;
    }

    private static LoginFailure unavailable() {
        return new LoginFailure(Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud is not answering properly right now. Please try again in a moment.");
    }
}
