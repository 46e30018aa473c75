package dev.starlib.auth.http;

import dev.starlib.auth.domain.State;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

abstract class DonePageTest extends RouteTest {

    @RoutingTest
    static final class InMemory extends DonePageTest {
    }

    @ServerTest
    static final class OnSocket extends DonePageTest {
    }

    /** A desktop login through /redirect, as SoundCloud sends the browser back: its state is then finished. */
    private State finishedLogin() {
        State state = APP.startLogin("http://127.0.0.1:8000/auth/soundcloud/done");
        Reply redirect = Api.send(api.get("/redirect").queryParam("code", "sc-code-1").queryParam("state", state.value()));
        assertThat(redirect.status()).isEqualTo(303);
        return state;
    }

    private Reply done(State state) {
        return Api.send(api.get("/done").queryParam("state", state.value()));
    }

    @Test
    void aFinishedLoginsPageSaysSignedInAndLeavesTheResultForTheApp() {
        State state = finishedLogin();

        Reply reply = done(state);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(reply.body()).contains("Signed in — you can return to Starlib.").doesNotContain(state.value());
        assertThat(Api.send(api.get("/result").queryParam("state", state.value())).status()).isEqualTo(200);
        assertThat(done(state).body()).contains("Starlib has already collected it").doesNotContain("Signed in");
    }

    @Test
    void withoutParametersItClaimsNoSignIn() {
        Reply reply = Api.send(api.get("/done"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("There is no sign-in to show.").doesNotContain("Signed in");
    }

    @Test
    void aStateItDoesNotKnowClaimsNoSignIn() {
        State stranger = State.generate(new java.security.SecureRandom());

        assertThat(done(stranger).body()).contains("This sign-in is not known here.").doesNotContain("Signed in");
        assertThat(Api.send(api.get("/done").queryParam("state", "not-a-state")).body())
                .contains("This sign-in is not known here.");
    }

    @Test
    void aLoginStillWaitingForSoundCloudIsNotFinishedYet() {
        State state = APP.startLogin();

        assertThat(done(state).body()).contains("Your sign-in is not finished yet.").doesNotContain("Signed in");
    }

    @Test
    void aLoginThatFailedSaysWhyEvenWithoutTheErrorInTheLink() {
        State state = APP.startLogin("http://127.0.0.1:8000/auth/soundcloud/done");
        Api.send(api.get("/redirect").queryParam("error", "access_denied").queryParam("state", state.value()));

        assertThat(done(state).body()).contains("Sign-in failed", "access_denied").doesNotContain("Signed in");
    }

    @Test
    void aStoreThatCannotAnswerClaimsNothing() {
        State state = finishedLogin();
        APP.store.breakDown();

        assertThat(done(state).body()).contains("cannot be checked right now").doesNotContain("Signed in");
    }

    @Test
    void pageIsLockedDownByItsHeaders() {
        Reply reply = Api.send(api.get("/done"));

        assertThat(reply.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "frame-ancestors 'none'")
                .doesNotContain("script-src"));
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void errorPageShowsTheDescription() {
        Reply reply = Api.send(api.get("/done").queryParam("error", "access_denied")
                .queryParam("error_description", "You did not allow Starlib to access your account."));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Sign-in failed", "You did not allow Starlib to access your account.",
                "access_denied").doesNotContain("Signed in —");
    }

    @Test
    void hostileDescriptionIsEscaped() {
        Reply reply = Api.send(api.get("/done").queryParam("error", "access_denied")
                .queryParam("error_description", "<script>alert(1)</script>"));

        assertThat(reply.body()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void hostileErrorCodeIsEscaped() {
        Reply reply = Api.send(api.get("/done").queryParam("error", "\"><img src=x onerror=alert(1)>"));

        assertThat(reply.body()).doesNotContain("<img").contains("&lt;img");
    }

    @Test
    void stateInTheQueryIsNeverShown() {
        Reply reply = Api.send(api.get("/done").queryParam("error", "access_denied")
                .queryParam("state", "secret-state-0123456789abcdef"));

        assertThat(reply.body()).doesNotContain("secret-state-0123456789abcdef");
    }

    @Test
    void repeatedErrorIsAnInvalidRequest() {
        Reply reply = Api.send(api.get("/done").queryParam("error", "a", "b"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_request");
    }
}
