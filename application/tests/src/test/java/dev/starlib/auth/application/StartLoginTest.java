package dev.starlib.auth.application;

import dev.starlib.auth.domain.CodeChallenge;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.starlib.auth.application.Fixtures.DEFAULT_RETURN_TO;
import static dev.starlib.auth.application.Fixtures.PENDING_TTL;
import static dev.starlib.auth.application.Fixtures.POLICY;
import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.SETTINGS;
import static dev.starlib.auth.application.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

class StartLoginTest {

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final StartLogin startLogin = new StartLogin(SETTINGS, POLICY, store, RANDOM, clock, events);

    private StartLogin.Result.Started started(Optional<String> returnTo) {
        StartLogin.Result result = startLogin.start(returnTo);
        assertThat(result).isInstanceOf(StartLogin.Result.Started.class);
        return (StartLogin.Result.Started) result;
    }

    @Test
    void authorizationUrlCarriesExactlyTheOAuthParameters() {
        StartLogin.Result.Started started = started(Optional.empty());
        URI url = started.authorizationUrl();
        PendingAuthorization stored = StoredSessions.allPending(store, clock.instant()).get(0);

        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).isEqualTo("secure.soundcloud.com");
        assertThat(url.getPath()).isEqualTo("/authorize");
        assertThat(Query.parameters(url)).containsOnlyKeys(
                "client_id", "redirect_uri", "response_type", "code_challenge", "code_challenge_method", "state");
        assertThat(Query.single(url, "client_id")).isEqualTo("starlib-client-id");
        assertThat(Query.single(url, "redirect_uri")).isEqualTo("http://localhost:8080/auth/soundcloud/redirect");
        assertThat(Query.single(url, "response_type")).isEqualTo("code");
        assertThat(Query.single(url, "code_challenge_method")).isEqualTo("S256");
        assertThat(Query.single(url, "code_challenge")).isEqualTo(CodeChallenge.s256(stored.verifier()).value());
        assertThat(Query.single(url, "state")).isEqualTo(started.state().value());
    }

    /** The URL built from a cached fixed part is the one {@code QueryString.append} builds, query and fragment kept. */
    @Test
    void authorizationUrlIsWhatQueryStringAppendBuildsEvenWithAQueryAndAFragment() {
        for (String endpoint : List.of("https://secure.soundcloud.com/authorize",
                "https://secure.soundcloud.com/connect/authorize?display=popup&x=%2F#top")) {
            AuthorizationSettings settings = new AuthorizationSettings("client id/+", URI.create(endpoint),
                    URI.create("http://localhost:8080/auth/soundcloud/redirect?a=1"), DEFAULT_RETURN_TO, PENDING_TTL,
                    java.time.Duration.ofMinutes(2));
            StartLogin login = new StartLogin(settings, POLICY, new SwitchableMemoryStore(), RANDOM, clock, events);
            for (int i = 0; i < 2; i++) {
                StartLogin.Result.Started started = (StartLogin.Result.Started) login.start(Optional.empty());
                URI url = started.authorizationUrl();
                String state = started.state().value();
                java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
                query.put("client_id", "client id/+");
                query.put("redirect_uri", "http://localhost:8080/auth/soundcloud/redirect?a=1");
                query.put("response_type", "code");
                String challenge = url.getRawQuery().replaceAll(".*code_challenge=([^&]*).*", "$1");
                query.put("code_challenge", challenge);
                query.put("code_challenge_method", "S256");
                query.put("state", state);

                assertThat(started.url()).isEqualTo(dev.starlib.auth.domain.QueryString.append(URI.create(endpoint),
                        query).toString());
            }
        }
    }

    @Test
    void redirectUriIsPercentEncodedInTheAuthorizationUrl() {
        URI url = started(Optional.empty()).authorizationUrl();

        assertThat(url.getRawQuery()).contains("redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fauth%2Fsoundcloud%2Fredirect");
    }

    @Test
    void authorizationUrlNeverCarriesTheVerifier() {
        StartLogin.Result.Started started = started(Optional.empty());

        assertThat(started.authorizationUrl().toString())
                .doesNotContain(StoredSessions.allPending(store, clock.instant()).get(0).verifier().value());
    }

    @Test
    void returnedStateHashesToTheStoredKey() {
        State state = started(Optional.empty()).state();

        assertThat(StoredSessions.pending(store, state.hash())).isPresent();
        assertThat(StoredSessions.pending(store, state.hash()).orElseThrow().stateHint()).isEqualTo(state.hint());
        assertThat(StoredSessions.size(store, clock.instant())).isEqualTo(1);
    }

    @Test
    void storedLoginExpiresAfterThePendingTtl() {
        PendingAuthorization stored = StoredSessions.pending(store, started(Optional.empty()).state().hash()).orElseThrow();

        assertThat(stored.createdAt()).isEqualTo(START);
        assertThat(stored.expiresAt()).isEqualTo(START.plus(PENDING_TTL));
    }

    @Test
    void usesTheDefaultReturnToWhenNoneIsRequested() {
        State state = started(Optional.empty()).state();

        assertThat(StoredSessions.pending(store, state.hash()).orElseThrow().returnTo()).isEqualTo(DEFAULT_RETURN_TO);
    }

    @Test
    void storesAnAcceptedReturnTo() {
        State state = started(Optional.of("tauri://localhost/auth/soundcloud/callback?x=1")).state();

        assertThat(StoredSessions.pending(store, state.hash()).orElseThrow().returnTo().uri())
                .isEqualTo(URI.create("tauri://localhost/auth/soundcloud/callback?x=1"));
    }

    @Test
    void rejectedReturnToStoresNothingAndSaysWhy() {
        StartLogin.Result result = startLogin.start(Optional.of("https://evil.example/callback"));

        assertThat(result).isInstanceOf(StartLogin.Result.ReturnToRejected.class);
        assertThat(((StartLogin.Result.ReturnToRejected) result).reason()).isNotBlank();
        assertThat(StoredSessions.size(store, clock.instant())).isZero();
        assertThat(events.loginsStarted).isZero();
    }

    @Test
    void emptyRequestedReturnToIsRejectedRatherThanDefaulted() {
        assertThat(startLogin.start(Optional.of(""))).isInstanceOf(StartLogin.Result.ReturnToRejected.class);
        assertThat(StoredSessions.size(store, clock.instant())).isZero();
    }

    @Test
    void busyWhenTheStoreIsFull() {
        store.reset(1);
        State first = started(Optional.empty()).state();

        StartLogin.Result result = startLogin.start(Optional.empty());

        assertThat(result).isInstanceOf(StartLogin.Result.Busy.class);
        assertThat(((StartLogin.Result.Busy) result).retryAfter()).isPositive();
        assertThat(StoredSessions.allPending(store, clock.instant())).extracting(PendingAuthorization::key)
                .containsExactly(first.hash());
        assertThat(events.loginsStarted).isEqualTo(1);
    }

    @Test
    void reportsEachStartedLogin() {
        startLogin.start(Optional.empty());
        startLogin.start(Optional.of("http://127.0.0.1:8000/auth/soundcloud/callback"));

        assertThat(events.loginsStarted).isEqualTo(2);
    }

    @Test
    void everyLoginGetsItsOwnStateAndVerifier() {
        Set<String> states = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            states.add(started(Optional.empty()).state().value());
        }
        List<String> verifiers = StoredSessions.allPending(store, clock.instant()).stream().map(p -> p.verifier().value()).distinct().toList();

        assertThat(states).hasSize(50);
        assertThat(verifiers).hasSize(50);
        assertThat(verifiers).doesNotContainAnyElementsOf(states);
    }

    @Test
    void startedResultDoesNotPrintTheState() {
        StartLogin.Result.Started started = started(Optional.empty());

        assertThat(started.toString()).doesNotContain(started.state().value());
    }
}
