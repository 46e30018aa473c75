package dev.starlib.auth.http;

import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.ProvideAppToken.Result;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;

/**
 * Everything under {@code /internal}: off (404) without a key, then the key check (401), then the app token. Every
 * answer carries the token or could, so none is ever stored by a cache.
 */
final class InternalRoutes implements HttpService {

    private static final System.Logger LOG = System.getLogger(InternalRoutes.class.getName());
    static final String APP_TOKEN = "/soundcloud/app-token";
    static final String REALM = "Bearer realm=\"Starlib Auth internal API\"";

    private static final List<Header> HEADERS = List.of(
            HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF,
            HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"),
            HeaderValues.create(HeaderNames.PRAGMA, "no-cache"));

    private final Optional<InternalApiKey> key;
    private final Optional<ProvideAppToken> appToken;

    InternalRoutes(Optional<InternalApiKey> key, Optional<ProvideAppToken> appToken) {
        this.key = key;
        this.appToken = appToken;
    }

    /** The body of a served token; {@code expires_in} counts from this answer. Carries the token: never log it. */
    record AppTokenBody(String accessToken, long expiresIn) {
        @Override
        public String toString() {
            return "AppTokenBody[redacted]";
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::checkKey);
        rules.get(APP_TOKEN, this::appToken);
        rules.any(APP_TOKEN, (request, response) -> {
            response.header(HeaderNames.ALLOW, "GET");
            ProblemWriter.write(response, new Problem(Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                    "The app token is read with GET."));
        });
        rules.any((request, response) -> ProblemWriter.write(response, new Problem(Status.NOT_FOUND_404, "not_found",
                "There is no such endpoint under /internal.")));
    }

    private void checkKey(ServerRequest request, ServerResponse response) {
        HEADERS.forEach(response::header);
        if (key.isEmpty()) {
            ProblemWriter.write(response, new Problem(Status.NOT_FOUND_404, "not_found",
                    "The internal API is off: INTERNAL_API_TOKEN is not set."));
            return;
        }
        InternalApiKey.Presented presented = key.get().check(request.headers().first(HeaderNames.AUTHORIZATION));
        switch (presented) {
            case RIGHT -> response.next();
            case NONE -> refuse(response, REALM,
                    "Send the internal API key as Authorization: Bearer <INTERNAL_API_TOKEN>.");
            case WRONG -> {
                LOG.log(System.Logger.Level.WARNING, "internal API: refused a wrong key from {0}",
                        request.remotePeer().host());
                refuse(response, REALM + ", error=\"invalid_token\"", "The internal API key is not the right one.");
            }
        }
    }

    private static void refuse(ServerResponse response, String challenge, String detail) {
        response.header(HeaderNames.WWW_AUTHENTICATE, challenge);
        ProblemWriter.write(response, new Problem(Status.UNAUTHORIZED_401, "unauthorized", detail));
    }

    private void appToken(ServerRequest request, ServerResponse response) {
        if (appToken.isEmpty()) {
            ProblemWriter.write(response, Problem.notConfigured());
            return;
        }
        Result result;
        try {
            result = appToken.get().current();
        } catch (RuntimeException e) {
            // The message names no request data; the exception is there for whoever fixes the bug.
            LOG.log(System.Logger.Level.ERROR, "unexpected failure while answering an app token request", e);
            ProblemWriter.write(response, Problem.internalError());
            return;
        }
        switch (result) {
            case Result.Issued issued -> ApiJson.send(response, Status.OK_200,
                    new AppTokenBody(issued.accessToken().value(), issued.expiresIn().toSeconds()));
            case Result.Failed failed -> {
                response.header(HeaderNames.RETRY_AFTER, Long.toString(failed.retryAfterSeconds()));
                ProblemWriter.write(response, FailureProblems.ofAppToken(failed));
            }
            case Result.StoreUnavailable unavailable -> ProblemWriter.write(response, new Problem(
                    Status.SERVICE_UNAVAILABLE_503, "store_unavailable",
                    "The app token is kept in the session store, which cannot be used right now."));
        }
    }
}
