package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;

/** {@code POST /refresh}: trades a (single-use) refresh token for new tokens. */
public final class RefreshTokens {

    private static final System.Logger LOG = System.getLogger(RefreshTokens.class.getName());

    private final SoundCloud soundCloud;
    private final AuthEvents events;

    public RefreshTokens(SoundCloud soundCloud, AuthEvents events) {
        this.soundCloud = soundCloud;
        this.events = events;
    }

    public sealed interface Result {
        record Refreshed(Tokens tokens) implements Result {
        }

        /** {@link Reason#INVALID_GRANT} means the user must sign in again; the others are worth a retry. */
        record Failed(LoginFailure failure) implements Result {
        }
    }

    public Result refresh(RefreshToken refreshToken) {
        Result result = switch (soundCloud.refresh(refreshToken)) {
            case UpstreamResult.Success<Tokens> success -> new Result.Refreshed(success.value());
            case UpstreamResult.Failure<Tokens> failure ->
                    new Result.Failed(Failures.of(failure, Failures.Call.REFRESH));
        };
        String outcome = switch (result) {
            case Result.Refreshed refreshed -> "success";
            case Result.Failed failed -> failed.failure().reason().code();
        };
        events.refreshFinished(outcome);
        LOG.log(System.Logger.Level.INFO, "refresh finished outcome={0}", outcome);
        return result;
    }
}
