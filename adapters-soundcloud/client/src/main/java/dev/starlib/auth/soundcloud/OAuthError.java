package dev.starlib.auth.soundcloud;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code error} of an OAuth error response (RFC 6749 §5.2), reduced to a token that is safe to log and show. */
final class OAuthError {

    static final String FALLBACK = "invalid_request";

    private static final Pattern SAFE_CODE = Pattern.compile("[a-z0-9_.-]{1,64}");

    private OAuthError() {
    }

    /** The error code in this body; empty when the body is not a JSON object with a string {@code error}. */
    static Optional<String> code(byte[] body) {
        return UpstreamJson.object(body)
                .flatMap(object -> UpstreamJson.text(object, "error"))
                .map(OAuthError::safe);
    }

    private static String safe(String error) {
        String code = error.toLowerCase(Locale.ROOT);
        return SAFE_CODE.matcher(code).matches() ? code : FALLBACK;
    }
}
