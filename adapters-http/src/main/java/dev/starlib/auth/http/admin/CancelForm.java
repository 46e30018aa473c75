package dev.starlib.auth.http.admin;

import dev.starlib.auth.domain.StateHash;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's cancel form ({@code application/x-www-form-urlencoded}): the session's key (the hash of its
 * state, which is no secret) and the CSRF token. Anything else in the body is ignored.
 */
record CancelForm(Optional<StateHash> session, String csrf) {

    static final int MAX_BODY_LENGTH = 2048;

    static CancelForm parse(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return new CancelForm(stateHash(fields.get("session")), fields.getOrDefault("csrf", ""));
    }

    private static Optional<StateHash> stateHash(String hex) {
        try {
            return hex == null ? Optional.empty() : Optional.of(new StateHash(hex));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
