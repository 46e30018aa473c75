package dev.starlib.auth.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/** The endpoints under {@code /auth/soundcloud}, each with the one method it answers. */
enum Endpoint {
    AUTHORIZE("/authorize", Method.GET),
    REDIRECT("/redirect", Method.GET),
    RESULT("/result", Method.GET),
    CALLBACK("/callback", Method.POST),
    REFRESH("/refresh", Method.POST),
    SIGN_OUT("/sign-out", Method.POST),
    DONE("/done", Method.GET);

    private final String path;
    private final Method method;

    Endpoint(String path, Method method) {
        this.path = path;
        this.method = method;
    }

    String path() {
        return path;
    }

    Method method() {
        return method;
    }

    /** All but {@code /done} talk to SoundCloud or the store, so they need the client credentials. */
    boolean needsCredentials() {
        return this != DONE;
    }

    /** The endpoint at this full path ({@code /auth/soundcloud/authorize}), if it is one. */
    static java.util.Optional<Endpoint> named(String fullPath) {
        for (Endpoint endpoint : values()) {
            if ((ApiPath.ROOT + endpoint.path).equals(fullPath)) {
                return java.util.Optional.of(endpoint);
            }
        }
        return java.util.Optional.empty();
    }

    void route(HttpRules rules, Handler handler) {
        rules.route(method, path, handler);
    }
}
