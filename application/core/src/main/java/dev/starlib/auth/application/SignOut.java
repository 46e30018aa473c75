package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.SessionEnd;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.RefreshToken;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /sign-out}: ends the user's SoundCloud session, so that the tokens stop working there and not just in
 * the browser. First every remembered rotation answer for these tokens is forgotten, so no cached pair outlives the
 * sign-out; then SoundCloud is asked to end the session of the access token.
 */
public final class SignOut {

    private static final System.Logger LOG = System.getLogger(SignOut.class.getName());

    private final SoundCloud soundCloud;
    private final RotationLedger ledger;
    private final AuthEvents events;

    public SignOut(SoundCloud soundCloud, RotationLedger ledger, AuthEvents events) {
        this.soundCloud = Objects.requireNonNull(soundCloud, "soundCloud");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.events = Objects.requireNonNull(events, "events");
    }

    public sealed interface Result {
        /** The session is gone at SoundCloud: it ended now, or the token was no longer valid. */
        record Ended(SessionEnd how) implements Result {
        }

        /** SoundCloud could not be asked, or did not answer: the session may still be alive there. */
        record Failed(LoginFailure failure) implements Result {
        }
    }

    /** @throws SessionStoreException when the remembered answers cannot be forgotten: SoundCloud was not asked */
    public Result signOut(AccessToken accessToken, Optional<RefreshToken> refreshToken) {
        ledger.forget(accessToken.hash());
        refreshToken.ifPresent(token -> ledger.forget(token.hash()));
        Result result = switch (soundCloud.signOut(accessToken)) {
            case UpstreamResult.Success<SessionEnd> success -> new Result.Ended(success.value());
            case UpstreamResult.Failure<SessionEnd> failure ->
                    new Result.Failed(Failures.of(failure, Failures.Call.SIGN_OUT));
        };
        String outcome = switch (result) {
            case Result.Ended ended -> ended.how() == SessionEnd.ENDED ? "success" : "already_invalid";
            case Result.Failed failed -> failed.failure().reason().code();
        };
        events.signOutFinished(outcome);
        LOG.log(System.Logger.Level.INFO, "sign-out finished outcome={0}", outcome);
        return result;
    }
}
