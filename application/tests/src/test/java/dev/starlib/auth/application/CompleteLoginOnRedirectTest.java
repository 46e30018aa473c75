package dev.starlib.auth.application;

import dev.starlib.auth.application.CompleteLogin.RedirectResult;
import dev.starlib.auth.application.Fixtures.Started;
import dev.starlib.auth.application.RecordingAuthEvents.LoginFinished;
import dev.starlib.auth.application.port.AuthEvents.Flow;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static dev.starlib.auth.application.FakeSoundCloud.USER;
import static dev.starlib.auth.application.Fixtures.PENDING_TTL;
import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.RESULT_TTL;
import static dev.starlib.auth.application.Fixtures.START;
import static dev.starlib.auth.application.Fixtures.startLogin;
import static org.assertj.core.api.Assertions.assertThat;

class CompleteLoginOnRedirectTest {

    private static final AuthorizationCode CODE = new AuthorizationCode("sc-code-0123456789");

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final TokenEndpointBreaker breaker = Fixtures.breaker(clock, events);
    private final CompleteLogin completeLogin = new CompleteLogin(store, soundCloud, breaker, RESULT_TTL, clock, events);

    private RedirectResult.SendBrowserTo sentTo(RedirectResult result) {
        assertThat(result).isInstanceOf(RedirectResult.SendBrowserTo.class);
        return (RedirectResult.SendBrowserTo) result;
    }

    private RedirectResult approve(State state) {
        return completeLogin.onRedirect(new SoundCloudRedirect.Approved(state, CODE));
    }

    /** The result stored for this login's one pickup. */
    private FinishedLogin finishedFor(Started login) {
        return StoredSessions.finished(store, login.state().hash()).orElseThrow();
    }

    private static Reason failureReason(LoginOutcome outcome) {
        assertThat(outcome).isInstanceOf(LoginOutcome.Failed.class);
        return ((LoginOutcome.Failed) outcome).failure().reason();
    }

    // ---- success ----

    @Test
    void successStoresTokensAndUserForOnePickup() {
        Started login = startLogin(store, clock);
        clock.advance(Duration.ofSeconds(20));

        approve(login.state());

        FinishedLogin finished = finishedFor(login);
        assertThat(finished.key()).isEqualTo(login.state().hash());
        assertThat(finished.outcome()).isEqualTo(new LoginOutcome.Succeeded(TOKENS, USER));
        assertThat(finished.finishedAt()).isEqualTo(START.plusSeconds(20));
        assertThat(finished.expiresAt()).isEqualTo(START.plusSeconds(20).plus(RESULT_TTL));
    }

    @Test
    void successSendsTheBrowserToReturnToWithOnlyTheState() {
        Started login = startLogin(store, clock);

        RedirectResult.SendBrowserTo sent = sentTo(approve(login.state()));

        assertThat(sent.location()).isEqualTo(URI.create(
                "http://localhost:3000/auth/soundcloud/callback?state=" + login.state().value()));
        assertThat(sent.outcome()).isInstanceOf(LoginOutcome.Succeeded.class);
    }

    @Test
    void successKeepsTheReturnToQueryAndLeaksNoCodeOrToken() {
        Started login = startLogin(store, clock, "tauri://localhost/auth/soundcloud/callback?lang=en");

        URI location = sentTo(approve(login.state())).location();

        assertThat(location.getScheme()).isEqualTo("tauri");
        assertThat(location.getPath()).isEqualTo("/auth/soundcloud/callback");
        assertThat(Query.parameters(location)).containsOnlyKeys("lang", "state");
        assertThat(Query.single(location, "lang")).isEqualTo("en");
        assertThat(Query.single(location, "state")).isEqualTo(login.state().value());
        assertThat(location.toString())
                .doesNotContain(CODE.value())
                .doesNotContain(TOKENS.accessToken().value())
                .doesNotContain(TOKENS.refreshToken().value())
                .doesNotContain(login.verifier().value());
    }

    @Test
    void exchangeUsesTheVerifierStoredForThatState() {
        Started first = startLogin(store, clock);
        Started second = startLogin(store, clock);

        approve(second.state());

        assertThat(soundCloud.exchanges).containsExactly(new FakeSoundCloud.Exchange(CODE, second.verifier()));
        assertThat(second.verifier()).isNotEqualTo(first.verifier());
    }

    @Test
    void fetchesTheUserWithTheNewAccessToken() {
        approve(startLogin(store, clock).state());

        assertThat(soundCloud.meCalls).containsExactly(TOKENS.accessToken());
    }

    @Test
    void successIsReported() {
        Started login = startLogin(store, clock);

        approve(login.state());

        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.BACKEND_REDIRECT, "success", login.state().hint()));
    }

    // ---- the user or SoundCloud refused at /authorize ----

    @Test
    void accessDeniedIsStoredAndSentToTheFrontend() {
        Started login = startLogin(store, clock);

        RedirectResult result = completeLogin.onRedirect(
                new SoundCloudRedirect.Refused(login.state(), "access_denied", Optional.empty()));

        assertThat(failureReason(finishedFor(login).outcome())).isEqualTo(Reason.ACCESS_DENIED);
        URI location = sentTo(result).location();
        assertThat(Query.parameters(location)).containsOnlyKeys("error", "error_description", "state");
        assertThat(Query.single(location, "error")).isEqualTo("access_denied");
        assertThat(Query.single(location, "error_description")).isNotBlank();
        assertThat(Query.single(location, "state")).isEqualTo(login.state().value());
        assertThat(soundCloud.totalCalls()).isZero();
        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.BACKEND_REDIRECT, "access_denied", login.state().hint()));
    }

    @Test
    void refusalKeepsAnExistingQueryBeforeTheError() {
        Started login = startLogin(store, clock, "http://localhost:3000/auth/soundcloud/callback?lang=en");

        URI location = sentTo(completeLogin.onRedirect(
                new SoundCloudRedirect.Refused(login.state(), "access_denied", Optional.empty()))).location();

        assertThat(location.getRawQuery()).startsWith("lang=en&error=access_denied&error_description=");
        assertThat(location.getRawQuery()).endsWith("&state=" + login.state().value());
    }

    @Test
    void soundCloudsPlainDescriptionIsPassedOn() {
        Started login = startLogin(store, clock);

        URI location = sentTo(completeLogin.onRedirect(new SoundCloudRedirect.Refused(login.state(),
                "access_denied", Optional.of("The resource owner denied the request.")))).location();

        assertThat(Query.single(location, "error_description")).isEqualTo("The resource owner denied the request.");
    }

    static Stream<Arguments> authorizationErrors() {
        return Stream.of(
                Arguments.of("access_denied", Reason.ACCESS_DENIED),
                Arguments.of("ACCESS_DENIED", Reason.ACCESS_DENIED),
                Arguments.of("invalid_scope", Reason.ACCESS_DENIED),
                Arguments.of("invalid_request", Reason.ACCESS_DENIED),
                Arguments.of("server_error", Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of("temporarily_unavailable", Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of("unauthorized_client", Reason.INVALID_CLIENT),
                Arguments.of("invalid_client", Reason.INVALID_CLIENT));
    }

    @ParameterizedTest
    @MethodSource("authorizationErrors")
    void authorizationErrorsMapToStableReasons(String error, Reason expected) {
        Started login = startLogin(store, clock);

        RedirectResult.SendBrowserTo sent = sentTo(completeLogin.onRedirect(
                new SoundCloudRedirect.Refused(login.state(), error, Optional.empty())));

        assertThat(failureReason(sent.outcome())).isEqualTo(expected);
        assertThat(Query.single(sent.location(), "error")).isEqualTo(expected.code());
        assertThat(Query.single(sent.location(), "error_description")).isNotBlank();
        assertThat(events.loginsFinished).extracting(LoginFinished::outcome).containsExactly(expected.code());
    }

    static Stream<Arguments> hostileRefusals() {
        return Stream.of(
                Arguments.of("access_denied\r\nSet-Cookie: sid=evil", Optional.empty()),
                Arguments.of("<script>alert(1)</script>", Optional.empty()),
                Arguments.of("access_denied&state=forged", Optional.empty()),
                Arguments.of("x".repeat(65), Optional.empty()),
                Arguments.of(null, Optional.empty()),
                Arguments.of("", Optional.empty()),
                Arguments.of("access_denied", Optional.of("line one\r\nSet-Cookie: sid=evil")),
                Arguments.of("access_denied", Optional.of("<script>alert(document.cookie)</script>")),
                Arguments.of("access_denied", Optional.of("<img src=x onerror=alert(1)>")),
                Arguments.of("access_denied", Optional.of("\"quoted\" & 'apostrophed' `ticked`")),
                Arguments.of("access_denied", Optional.of("Отказано")),
                Arguments.of("access_denied", Optional.of("nul\u0000byte")),
                Arguments.of("access_denied", Optional.of("tab\there")),
                Arguments.of("access_denied", Optional.of("x".repeat(201))),
                Arguments.of("access_denied", Optional.of("   ")));
    }

    @ParameterizedTest
    @MethodSource("hostileRefusals")
    void hostileErrorValuesAreReplacedBySafeOnes(String error, Optional<String> description) {
        Started login = startLogin(store, clock);

        URI location = sentTo(completeLogin.onRedirect(
                new SoundCloudRedirect.Refused(login.state(), error, description))).location();

        assertThat(Query.parameters(location)).containsOnlyKeys("error", "error_description", "state");
        assertThat(Query.single(location, "error")).isEqualTo("access_denied");
        String shown = Query.single(location, "error_description");
        assertThat(shown).matches("[A-Za-z0-9 .,:;!?()_/-]+");
        assertThat(shown).doesNotContain("Set-Cookie").doesNotContain("script").doesNotContain("onerror");
        assertThat(Query.single(location, "state")).isEqualTo(login.state().value());
        assertThat(((LoginOutcome.Failed) finishedFor(login).outcome()).failure().description()).isEqualTo(shown);
    }

    // ---- SoundCloud refused or failed the exchange ----

    static Stream<Arguments> exchangeFailures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_grant", 400), Reason.INVALID_GRANT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_client", 401), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("unauthorized_client", 400), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_request", 400), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.Unavailable<Tokens>("HTTP 503"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<Tokens>(), Reason.UPSTREAM_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("exchangeFailures")
    void failedExchangeIsStoredSentAndReported(UpstreamResult<Tokens> answer, Reason expected) {
        soundCloud.answerExchange(answer);
        Started login = startLogin(store, clock);

        RedirectResult.SendBrowserTo sent = sentTo(approve(login.state()));

        assertThat(failureReason(finishedFor(login).outcome())).isEqualTo(expected);
        assertThat(failureReason(sent.outcome())).isEqualTo(expected);
        assertThat(Query.single(sent.location(), "error")).isEqualTo(expected.code());
        assertThat(Query.single(sent.location(), "state")).isEqualTo(login.state().value());
        assertThat(soundCloud.meCalls).isEmpty();
        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.BACKEND_REDIRECT, expected.code(), login.state().hint()));
    }

    static Stream<Arguments> meFailures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Unavailable<SoundCloudUser>("connection refused"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<SoundCloudUser>(), Reason.UPSTREAM_TIMEOUT),
                Arguments.of(new UpstreamResult.Rejected<SoundCloudUser>("invalid_token", 401), Reason.UPSTREAM_UNAVAILABLE));
    }

    @ParameterizedTest
    @MethodSource("meFailures")
    void failureToFetchTheUserFailsTheLoginWithoutHandingOutTokens(UpstreamResult<SoundCloudUser> answer,
                                                                   Reason expected) {
        soundCloud.answerMe(answer);
        Started login = startLogin(store, clock);

        RedirectResult.SendBrowserTo sent = sentTo(approve(login.state()));

        assertThat(failureReason(finishedFor(login).outcome())).isEqualTo(expected);
        assertThat(Query.single(sent.location(), "error")).isEqualTo(expected.code());
        assertThat(events.loginsFinished).extracting(LoginFinished::outcome).containsExactly(expected.code());
    }

    // ---- the state does not open a login ----

    @Test
    void unknownStateIsRejectedWithoutCallingSoundCloud() {
        State stranger = State.generate(RANDOM);

        RedirectResult result = approve(stranger);

        assertThat(result).isEqualTo(new RedirectResult.StateRejected(StateRejection.UNKNOWN));
        assertThat(soundCloud.totalCalls()).isZero();
        assertThat(StoredSessions.peek(store, stranger.hash())).isEmpty();
        assertThat(events.loginsFinished)
                .containsExactly(new LoginFinished(Flow.BACKEND_REDIRECT, "invalid_state", stranger.hint()));
    }

    @Test
    void expiredStateIsRejectedWithoutCallingSoundCloud() {
        Started login = startLogin(store, clock);
        clock.advance(PENDING_TTL);

        assertThat(approve(login.state())).isEqualTo(new RedirectResult.StateRejected(StateRejection.EXPIRED));
        assertThat(soundCloud.totalCalls()).isZero();
        assertThat(StoredSessions.peek(store, login.state().hash())).isEmpty();
        assertThat(events.loginsFinished).extracting(LoginFinished::outcome).containsExactly("invalid_state");
    }

    @Test
    void stateJustBeforeExpiryStillCompletes() {
        Started login = startLogin(store, clock);
        clock.advance(PENDING_TTL.minusSeconds(1));

        assertThat(approve(login.state())).isInstanceOf(RedirectResult.SendBrowserTo.class);
    }

    @Test
    void replayedStateIsRejectedAndSoundCloudIsCalledOnce() {
        Started login = startLogin(store, clock);
        approve(login.state());

        RedirectResult replay = approve(login.state());

        assertThat(replay).isEqualTo(new RedirectResult.StateRejected(StateRejection.ALREADY_USED));
        assertThat(soundCloud.exchanges).hasSize(1);
        assertThat(StoredSessions.finished(store, login.state().hash())).isPresent();
        assertThat(events.loginsFinished).extracting(LoginFinished::outcome).containsExactly("success", "invalid_state");
    }

    @Test
    void replayedRefusalIsRejectedToo() {
        Started login = startLogin(store, clock);
        completeLogin.onRedirect(new SoundCloudRedirect.Refused(login.state(), "access_denied", Optional.empty()));

        assertThat(completeLogin.onRedirect(new SoundCloudRedirect.Refused(login.state(), "access_denied",
                Optional.empty()))).isEqualTo(new RedirectResult.StateRejected(StateRejection.ALREADY_USED));
    }

    @Test
    void anOpenBreakerFailsTheLoginCleanlyAndThePickupSaysWhenToTryAgain() {
        Fixtures.openBreaker(breaker);
        Started login = startLogin(store, clock);

        URI location = sentTo(approve(login.state())).location();

        assertThat(location.getQuery()).contains("error=upstream_unavailable");
        assertThat(soundCloud.exchanges).isEmpty();
        clock.advance(Duration.ofSeconds(4));
        PickUpLogin.Result pickedUp = new PickUpLogin(store, clock).pickUp(login.state());
        assertThat(pickedUp).isInstanceOf(PickUpLogin.Result.Ready.class);
        LoginOutcome outcome = ((PickUpLogin.Result.Ready) pickedUp).outcome();
        assertThat(((LoginOutcome.Failed) outcome).failure().retryAfter())
                .contains(Fixtures.BREAKER.openFor().minusSeconds(4));
    }

    @Test
    void redirectResultDoesNotPrintTheState() {
        Started login = startLogin(store, clock);

        RedirectResult result = approve(login.state());

        assertThat(result.toString()).doesNotContain(login.state().value())
                .doesNotContain(TOKENS.accessToken().value());
    }
}
