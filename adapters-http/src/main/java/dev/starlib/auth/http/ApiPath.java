package dev.starlib.auth.http;

import io.helidon.http.HttpPrologue;

/**
 * Where the public API lives. The filters and error handlers registered on the shared routing change only
 * responses under it, so other routes (health, an admin page) keep their own behaviour.
 */
final class ApiPath {

    static final String ROOT = "/auth/soundcloud";

    private ApiPath() {
    }

    static boolean covers(HttpPrologue prologue) {
        String path;
        try {
            path = prologue.uriPath().path();  // decoded, as routing matches it
        } catch (IllegalArgumentException e) {
            path = prologue.uriPath().rawPath();
        }
        return covers(path);
    }

    static boolean covers(String path) {
        return path != null && (path.equals(ROOT) || path.startsWith(ROOT + "/"));
    }
}
