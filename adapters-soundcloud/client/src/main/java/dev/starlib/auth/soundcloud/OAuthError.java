package dev.starlib.auth.soundcloud;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The error code of an OAuth error response, reduced to a token that is safe to log and show. SoundCloud has
 * answered a dead grant in three shapes, and each is read:
 * <ul>
 *   <li>{@code {"error":"invalid_grant"}}, RFC 6749 §5.2: the current token host (soundcloud/api#322, #395);</li>
 *   <li>{@code {"code":401,"message":"invalid_grant",…,"error":null,"error_code":"invalid_grant"}}: the older host
 *       (soundcloud/api#80, #169);</li>
 *   <li>{@code {"code":400,"message":"invalid_grant","link":…}}: the examples of SoundCloud's own OpenAPI document.</li>
 * </ul>
 * {@code message} is free text elsewhere, so it counts only when it is one of RFC 6749's error codes.
 */
final class OAuthError {

    static final String FALLBACK = "invalid_request";

    private static final Pattern SAFE_CODE = Pattern.compile("[a-z0-9_.-]{1,64}");
    /** RFC 6749 §5.2. */
    private static final Set<String> OAUTH_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope");

    private OAuthError() {
    }

    /** The error code in this body; empty when the body carries none in any of SoundCloud's shapes. */
    static Optional<String> code(byte[] body) {
        return UpstreamJson.object(body).flatMap(object -> UpstreamJson.text(object, "error")
                .or(() -> UpstreamJson.text(object, "error_code"))
                .map(OAuthError::safe)
                .or(() -> UpstreamJson.text(object, "message")
                        .map(message -> message.strip().toLowerCase(Locale.ROOT))
                        .filter(OAUTH_ERRORS::contains)));
    }

    private static String safe(String error) {
        String code = error.toLowerCase(Locale.ROOT);
        return SAFE_CODE.matcher(code).matches() ? code : FALLBACK;
    }
}
