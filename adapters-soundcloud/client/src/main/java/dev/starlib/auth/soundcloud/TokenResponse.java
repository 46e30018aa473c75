package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AccessToken;
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

    private static UpstreamResult<Tokens> read(byte[] body, Optional<RefreshToken> presented) {
        Optional<JsonNode> parsed = UpstreamJson.object(body);
        if (parsed.isEmpty()) {
            return unreadable();
        }
        JsonNode object = parsed.get();
        Optional<AccessToken> accessToken = UpstreamJson.text(object, "access_token")
                .flatMap(AccessToken::parse);
        OptionalLong expiresIn = UpstreamJson.positiveLong(object, "expires_in");
        if (accessToken.isEmpty() || expiresIn.isEmpty()) {
            return unreadable();
        }
        Optional<RefreshToken> refreshToken;
        if (UpstreamJson.isAbsent(object, "refresh_token")) {
            if (presented.isEmpty()) {
                return new UpstreamResult.Unavailable<>(NO_REFRESH_TOKEN);
            }
            refreshToken = presented;
        } else {
            refreshToken = UpstreamJson.text(object, "refresh_token").flatMap(RefreshToken::parse);
            if (refreshToken.isEmpty()) {
                return unreadable();
            }
        }
        return new UpstreamResult.Success<>(
                new Tokens(accessToken.get(), refreshToken.get(), Duration.ofSeconds(expiresIn.getAsLong())));
    }

    private static UpstreamResult<Tokens> unreadable() {
        return new UpstreamResult.Unavailable<>(UNREADABLE);
    }
}
