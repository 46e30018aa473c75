package dev.starlib.auth.http.admin;

import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.OperatorSignIn;
import dev.starlib.auth.domain.OAuthSession.Cancellation;
import dev.starlib.auth.http.admin.DashboardView.Notice;
import dev.starlib.auth.http.client.Client;
import dev.starlib.auth.http.client.ClientResolver;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Everything under {@code /admin}: Basic authentication first, then the dashboard and the cancel action.
 * Handlers stay thin: {@link Dashboard} builds what the page shows, the {@link CancelLogin} use case cancels.
 */
final class AdminService implements HttpService {

    static final String REALM = "Basic realm=\"Starlib Auth admin\", charset=\"UTF-8\"";

    private final AdminCredentials credentials;
    private final AdminConsole console;
    private final CsrfToken csrf;
    private final Dashboard dashboard;
    private final AdminPages pages;
    private final OperatorSignIn signIn;
    private final ClientResolver clients;

    AdminService(AdminCredentials credentials, AdminConsole console, CsrfToken csrf, AdminPages pages,
                 OperatorSignIn signIn, ClientResolver clients) {
        this.signIn = signIn;
        this.clients = clients;
        this.credentials = credentials;
        this.console = console;
        this.csrf = csrf;
        this.dashboard = new Dashboard(console, csrf);
        this.pages = pages;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authenticate);
        rules.get("/", this::showDashboard);
        rules.post("/sessions/cancel", this::cancel);
        rules.any("/", (request, response) -> methodNotAllowed(response, "GET"));
        rules.any("/sessions/cancel", (request, response) -> methodNotAllowed(response, "POST"));
        rules.any((request, response) -> pages.problem(response, Status.NOT_FOUND_404, "There is no such admin page."));
    }

    private void authenticate(ServerRequest request, ServerResponse response) {
        AdminHeaders.apply(response);
        Optional<BasicAuthorization> basic = request.headers().first(HeaderNames.AUTHORIZATION)
                .flatMap(BasicAuthorization::parse);
        if (basic.isEmpty()) {
            // No credentials at all is how every browser starts: a challenge, not a guess.
            challenge(response);
            return;
        }
        Client client = clients.of(request);
        switch (signIn.attempt(client.key(), client.address().masked(),
                () -> credentials.matches(basic.get().user(), basic.get().password()))) {
            case OperatorSignIn.Result.Allowed allowed -> response.next();
            case OperatorSignIn.Result.Refused refused -> challenge(response);
            case OperatorSignIn.Result.Wait wait -> {
                long seconds = Math.max(1, (wait.retryAfter().toMillis() + 999) / 1000);
                response.header(HeaderNames.RETRY_AFTER, String.valueOf(seconds));
                pages.problem(response, Status.TOO_MANY_REQUESTS_429, "Too many wrong sign-ins from your network. "
                        + "Wait " + seconds + " s before trying again; each further wrong attempt doubles the wait.");
            }
        }
    }

    private void challenge(ServerResponse response) {
        response.header(HeaderNames.WWW_AUTHENTICATE, REALM);
        pages.problem(response, Status.UNAUTHORIZED_401,
                "Sign in with the admin user name and password (ADMIN_USER and ADMIN_PASSWORD).");
    }

    private void showDashboard(ServerRequest request, ServerResponse response) {
        pages.dashboard(response, Status.OK_200, dashboard.view(Optional.empty()));
    }

    private void cancel(ServerRequest request, ServerResponse response) {
        Optional<String> body = readForm(request);
        if (body.isEmpty()) {
            pages.problem(response, Status.BAD_REQUEST_400, "The cancel form could not be read. Go back and try again.");
            return;
        }
        CancelForm form = CancelForm.parse(body.get());
        if (!csrf.matches(form.csrf())) {
            pages.problem(response, Status.FORBIDDEN_403,
                    "This form is out of date (the service may have restarted). Reload the dashboard and try again.");
            return;
        }
        if (form.session().isEmpty()) {
            pages.problem(response, Status.BAD_REQUEST_400, "The form did not name a session. Go back and try again.");
            return;
        }
        switch (console.cancelLogin().cancel(form.session().get())) {
            case CancelLogin.Result.Done done -> {
                Notice notice = notice(done.cancellation());
                pages.dashboard(response, notice.ok() ? Status.OK_200 : Status.CONFLICT_409,
                        dashboard.view(Optional.of(notice)));
            }
            case CancelLogin.Result.StoreUnavailable unavailable -> pages.problem(response,
                    Status.SERVICE_UNAVAILABLE_503,
                    "The session store is unavailable, so nothing was cancelled: " + unavailable.reason());
        }
    }

    private static Notice notice(Cancellation cancellation) {
        return switch (cancellation) {
            case Cancellation.Cancelled cancelled -> new Notice(true, "Cancelled the pending sign-in "
                    + cancelled.stateHint() + "…; if its user comes back from SoundCloud, they are asked to start again.");
            case Cancellation.Underway underway -> new Notice(false, "Session " + underway.stateHint()
                    + "… is no longer waiting for SoundCloud; nothing was cancelled.");
            case Cancellation.Gone gone ->
                    new Notice(false, "That session is gone (finished, expired or already cancelled); nothing was cancelled.");
        };
    }

    /** The form as text, or empty when it is not a small urlencoded form. */
    private static Optional<String> readForm(ServerRequest request) {
        boolean form = request.headers().contentType()
                .map(type -> type.mediaType().text().equalsIgnoreCase("application/x-www-form-urlencoded"))
                .orElse(false);
        if (!form) {
            return Optional.empty();
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(CancelForm.MAX_BODY_LENGTH + 1);
            if (bytes.length > CancelForm.MAX_BODY_LENGTH) {
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void methodNotAllowed(ServerResponse response, String allowed) {
        response.header(HeaderNames.ALLOW, allowed);
        pages.problem(response, Status.METHOD_NOT_ALLOWED_405, "This admin page accepts " + allowed + " only.");
    }
}
