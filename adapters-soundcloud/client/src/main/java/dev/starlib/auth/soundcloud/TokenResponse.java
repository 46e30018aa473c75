package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads a successful token response (RFC 6749 §5.1) into {@link Tokens}, or says why it cannot be used. */
final class TokenResponse {

    static final String UNREADABLE = "unreadable token response";
    static final String NO_REFRESH_TOKEN = "token response without refresh_token";

    private TokenResponse() {
    }

    /** A code exchange must grant a refresh token: without one the login could not be kept alive. */
    static UpstreamResult<Tokens> ofCodeExchange(byte[] body) {
        return read(body, Optional.empty());
    }

    /** A refresh that grants no new refresh token leaves the presented one in force (RFC 6749 §6). */
    static UpstreamResult<Tokens> ofRefresh(byte[] body, RefreshToken presented) {
        return read(body, Optional.of(presented));
    }

    /** A client-credentials grant may come without a refresh token: the app then renews by a new grant. */
    static UpstreamResult<AppTokenGrant> ofAppGrant(byte[] body) {
        return appGrant(body, Optional.empty());
    }

    /** A refresh of the app token that grants no new refresh token leaves the presented one in force. */
    static UpstreamResult<AppTokenGrant> ofAppRefresh(byte[] body, RefreshToken presented) {
        return appGrant(body, Optional.of(presented));
    }

    private static UpstreamResult<Tokens> read(byte[] body, Optional<RefreshToken> presented) {
        return switch (parse(body)) {
            case Parsed.Unreadable unreadable -> unreadable();
            case Parsed.Granted granted -> {
                Optional<RefreshToken> refreshToken = granted.refreshToken().or(() -> presented);
                yield refreshToken.isEmpty() ? new UpstreamResult.Unavailable<>(NO_REFRESH_TOKEN)
                        : new UpstreamResult.Success<>(new Tokens(granted.accessToken(), refreshToken.get(),
                        granted.expiresIn()));
            }
        };
    }

    private static UpstreamResult<AppTokenGrant> appGrant(byte[] body, Optional<RefreshToken> presented) {
        return switch (parse(body)) {
            case Parsed.Unreadable unreadable -> new UpstreamResult.Unavailable<>(UNREADABLE);
            case Parsed.Granted granted -> new UpstreamResult.Success<>(new AppTokenGrant(granted.accessToken(),
                    granted.refreshToken().or(() -> presented), granted.expiresIn()));
        };
    }

    /** What a token response says, before anyone decides whether a missing refresh token matters. */
    private sealed interface Parsed {
        record Granted(AccessToken accessToken, Optional<RefreshToken> refreshToken, Duration expiresIn)
                implements Parsed {
        }

        record Unreadable() implements Parsed {
        }
    }

    private static Parsed parse(byte[] body) {
        Optional<JsonNode> parsed = UpstreamJson.object(body);
        if (parsed.isEmpty()) {
            return new Parsed.Unreadable();
        }
        JsonNode object = parsed.get();
        Optional<AccessToken> accessToken = UpstreamJson.text(object, "access_token")
                .flatMap(AccessToken::parse);
        OptionalLong expiresIn = UpstreamJson.positiveLong(object, "expires_in");
        if (accessToken.isEmpty() || expiresIn.isEmpty()) {
            return new Parsed.Unreadable();
        }
        Optional<RefreshToken> refreshToken = Optional.empty();
        if (!UpstreamJson.isAbsent(object, "refresh_token")) {
            refreshToken = UpstreamJson.text(object, "refresh_token").flatMap(RefreshToken::parse);
            if (refreshToken.isEmpty()) {
                return new Parsed.Unreadable();
            }
        }
        return new Parsed.Granted(accessToken.get(), refreshToken, Duration.ofSeconds(expiresIn.getAsLong()));
    }

    private static UpstreamResult<Tokens> unreadable() {
        return new UpstreamResult.Unavailable<>(UNREADABLE);
    }
}
