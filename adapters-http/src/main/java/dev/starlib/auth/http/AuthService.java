package dev.starlib.auth.http;

import dev.starlib.auth.application.LookUpLogin;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Optional;

/**
 * Everything under {@code /auth/soundcloud}: the endpoints (or 503 for each when the credentials are
 * missing), the {@code /done} page, then 405 for a known path with another method, then 404.
 */
final class AuthService implements HttpService {

    private final Optional<AuthRoutes> routes;
    private final Optional<LookUpLogin> lookUp;
    private final Pages pages;

    AuthService(Optional<AuthRoutes> routes, Optional<LookUpLogin> lookUp, Pages pages) {
        this.routes = routes;
        this.lookUp = lookUp;
        this.pages = pages;
    }

    @Override
    public void routing(HttpRules rules) {
        Endpoint.DONE.route(rules, this::done);
        routes.ifPresentOrElse(configured -> configured.register(rules), () -> {
            for (Endpoint endpoint : Endpoint.values()) {
                if (endpoint.needsCredentials()) {
                    endpoint.route(rules, (request, response) -> ProblemWriter.write(response, Problem.notConfigured()));
                }
            }
        });
        for (Endpoint endpoint : Endpoint.values()) {
            rules.any(endpoint.path(), (request, response) -> otherMethod(endpoint, request, response));
        }
        rules.any((request, response) -> ProblemWriter.write(response, Problem.notFound()));
    }

    private void done(ServerRequest request, ServerResponse response) {
        pages.done(response, DonePage.from(QueryParameters.of(request), lookUp));
    }

    /** A plain OPTIONS (not a CORS preflight, which the CORS filter answers) learns what is allowed. */
    private static void otherMethod(Endpoint endpoint, ServerRequest request, ServerResponse response) {
        String allowed = endpoint.method().text() + ", " + Method.OPTIONS.text();
        response.header(HeaderNames.ALLOW, allowed);
        if (Method.OPTIONS.equals(request.prologue().method())) {
            response.status(Status.NO_CONTENT_204).send();
            return;
        }
        ProblemWriter.write(response, new Problem(Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                ApiPath.ROOT + endpoint.path() + " accepts " + endpoint.method().text() + " only."));
    }
}
