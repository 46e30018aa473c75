package dev.starlib.auth.http;

import dev.starlib.auth.application.OpenBreakers;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.http.admin.AdminApi;
import dev.starlib.auth.http.admin.AdminConsole;
import dev.starlib.auth.http.admin.AdminCredentials;
import dev.starlib.auth.http.admin.ConfigurationSummary;
import dev.starlib.auth.http.observe.AuthMetrics;
import dev.starlib.auth.http.observe.ServiceHealth;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin pages, wired to the real use cases over the real memory store. Not a {@link RouteTest}: they are
 * routed on their own, as on the service's admin port.
 */
abstract class AdminRoutesTest {

    private static final TestApi APP = new TestApi();
    private static final AdminCredentials CREDENTIALS = AdminCredentials.of("operator", "s3cret-pass");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    /** Meters are process-wide: each speed makes its own with its routing and removes them after its tests. */
    private static AuthMetrics metrics;

    private Http1Client client;

    @RoutingTest
    static final class InMemory extends AdminRoutesTest {
    }

    @ServerTest
    static final class OnSocket extends AdminRoutesTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        metrics = new AuthMetrics(Services.get(MeterRegistry.class), APP.clock);
        metrics.watch(APP.breaker);
        var health = new ServiceHealth(true, APP.sessions, metrics, APP.clock, List.of());
        var configuration = new ConfigurationSummary(List.of(new ConfigurationSummary.Setting("Client ID", "test-client-id"),
                new ConfigurationSummary.Setting("Client secret", "set (hidden)")));
        AdminApi.register(routing, CREDENTIALS, new AdminConsole(APP.sessions, APP.cancelLogin, metrics, health, configuration, APP.clock));
    }

    /** JUnit's own: Helidon's @AfterStop looks only at public methods, and never ran here. */
    @AfterAll
    static void removeMeters() {
        metrics.close();
    }

    @BeforeEach
    void reset(Http1Client client) {
        this.client = client;
        APP.reset();
    }

    @Test
    void withoutCredentialsTheDashboardAsksForThem() {
        Reply reply = send(client.get("/admin"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValue("Basic realm=\"Starlib Auth admin\", charset=\"UTF-8\"");
        assertThat(reply.body()).doesNotContain("test-client-id");
    }

    @Test
    void wrongPasswordOrWrongUserIsRefused() {
        assertThat(send(authorized(client.get("/admin"), "operator", "wrong")).status()).isEqualTo(401);
        assertThat(send(authorized(client.get("/admin"), "admin", "s3cret-pass")).status()).isEqualTo(401);
        assertThat(send(client.get("/admin").header(HeaderNames.AUTHORIZATION, "Bearer s3cret-pass")).status())
                .isEqualTo(401);
    }

    @Test
    void rightCredentialsOpenTheDashboard() {
        Reply reply = dashboard();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(reply.body()).contains("Starlib Auth · Operations", "Ready", "test-client-id", "set (hidden)");
    }

    @Test
    void everyAdminResponseRefusesFramingAndCaching() {
        for (Reply reply : List.of(dashboard(), send(client.get("/admin")))) {
            assertThat(reply.header("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("frame-ancestors 'none'", "default-src 'none'", "form-action 'self'"));
            assertThat(reply.header("X-Frame-Options")).hasValue("DENY");
            assertThat(reply.header("Cache-Control")).hasValue("no-store");
            assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void theDashboardShowsSharedAndReusedRefreshesAndAnOpenTokenBreaker() {
        metrics.refreshFinished("shared");
        metrics.refreshFinished("shared");
        metrics.refreshFinished("shared");
        metrics.refreshFinished("reused");
        OpenBreakers.open(APP.breaker, 3);

        String page = dashboard().body();

        assertThat(page).containsPattern("<div class=\"value\">3</div><div class=\"label\">Refreshes shared</div>")
                .containsPattern("<div class=\"value\">1</div><div class=\"label\">Refreshes reused</div>")
                .containsPattern("<div class=\"tile alert\"><div class=\"value\">open</div><div class=\"label\">Token breaker")
                .contains("token calls fail fast, next try in 10s", "tokenBreaker: open");
    }

    @Test
    void pendingLoginIsListedByItsHintNeverByItsState() {
        State state = APP.startLogin();

        String page = dashboard().body();

        assertThat(page).contains(state.hint() + "…", "http://localhost:3000", state.hash().hex());
        assertThat(page).doesNotContain(state.value());
    }

    @Test
    void operatorCancelsAPendingLoginAndSeesItConfirmed() {
        State state = APP.startLogin();
        String csrf = csrfToken(dashboard().body());

        Reply reply = cancel(state, csrf);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Cancelled the pending sign-in " + state.hint(), "No sessions in the store.");
        assertThat(APP.consume(state))
                .isEqualTo(OAuthSession.Consumption.rejected(StateRejection.UNKNOWN));
    }

    @Test
    void cancellingASessionThatIsNoLongerPendingChangesNothingAndSaysSo() {
        State state = APP.startLogin();
        String csrf = csrfToken(dashboard().body());
        cancel(state, csrf);

        Reply again = cancel(state, csrf);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("nothing was cancelled");
    }

    @Test
    void cancelWithoutTheCsrfTokenIsForbiddenAndTheLoginGoesOn() {
        State state = APP.startLogin();

        Reply reply = cancel(state, "forged-token");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(APP.consume(state))
                .isInstanceOf(OAuthSession.Consumption.Consumed.class);
    }

    @Test
    void cancelWithoutCredentialsIsRefusedEvenWithTheToken() {
        State state = APP.startLogin();
        String csrf = csrfToken(dashboard().body());

        Reply reply = send(client.post("/admin/sessions/cancel"), "application/x-www-form-urlencoded",
                "csrf=" + csrf + "&session=" + state.hash().hex());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(APP.consume(state))
                .isInstanceOf(OAuthSession.Consumption.Consumed.class);
    }

    @Test
    void cancelFormWithoutASessionKeyIsABadRequest() {
        APP.startLogin();
        String csrf = csrfToken(dashboard().body());

        Reply reply = send(authorized(client.post("/admin/sessions/cancel")), "application/x-www-form-urlencoded",
                "csrf=" + csrf + "&session=not-a-hash");

        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void cancelIsAPostAndTheDashboardIsAGet() {
        Reply get = send(authorized(client.get("/admin/sessions/cancel")));
        Reply post = send(authorized(client.post("/admin")), "application/x-www-form-urlencoded", "");

        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).hasValue("POST");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).hasValue("GET");
    }

    @Test
    void brokenStoreShowsOnTheDashboardInsteadOfBreakingIt() {
        APP.store.breakDown();

        Reply reply = dashboard();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Not ready", "The session store could not be read: disk full (test)");
    }

    @Test
    void adminPortRootLeadsToTheDashboard() {
        Reply reply = send(client.get("/"));

        assertThat(reply.status()).isEqualTo(303);
        assertThat(reply.header("Location")).hasValue("/admin");
    }

    @Test
    void anUnknownPathOnTheAdminPortIsANotFoundProblemThatSaysWhereThingsAre() {
        Reply reply = send(client.get("/nope"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.error()).isEqualTo("not_found");
        assertThat(reply.json().get("detail").asText()).contains("/admin", "/observe/health", "/observe/metrics");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aBrowserGetsTheAdminProblemPageWithTheAdminHeaders() {
        Reply reply = send(client.get("/nope").header(HeaderNames.ACCEPT, "text/html"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(reply.body()).contains("404 Not Found", "/observe/metrics");
        assertThat(reply.header("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void anotherMethodOnTheRootIs405() {
        Reply reply = send(client.delete("/"));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET");
        assertThat(reply.error()).isEqualTo("method_not_allowed");
    }

    private Reply dashboard() {
        return send(authorized(client.get("/admin")));
    }

    private Reply cancel(State state, String csrf) {
        return send(authorized(client.post("/admin/sessions/cancel")), "application/x-www-form-urlencoded",
                "csrf=" + csrf + "&session=" + state.hash().hex());
    }

    private static Http1ClientRequest authorized(Http1ClientRequest request) {
        return authorized(request, "operator", "s3cret-pass");
    }

    private static Http1ClientRequest authorized(Http1ClientRequest request, String user, String password) {
        String pair = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return request.header(HeaderNames.AUTHORIZATION, "Basic " + pair);
    }

    private static Reply send(Http1ClientRequest request) {
        try (Http1ClientResponse response = request.followRedirects(false).request()) {
            return read(response);
        }
    }

    private static Reply send(Http1ClientRequest request, String contentType, String body) {
        try (Http1ClientResponse response = request.followRedirects(false)
                .header(HeaderNames.CONTENT_TYPE, contentType).submit(body)) {
            return read(response);
        }
    }

    /** Read as Api does, but not checked against the public API's contract: the admin pages are not part of it. */
    private static Reply read(Http1ClientResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach(header -> headers
                .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .addAll(header.allValues()));
        return new Reply(response.status().code(), headers, response.entity().hasEntity() ? response.as(String.class) : "");
    }

    private static String csrfToken(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("the dashboard carries a CSRF token").isTrue();
        return matcher.group(1);
    }
}
