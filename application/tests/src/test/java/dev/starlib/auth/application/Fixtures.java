package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.State;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class Fixtures {

    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    static final Duration RESULT_TTL = Duration.ofMinutes(5);
    static final SecureRandom RANDOM = new SecureRandom();

    static final ReturnTo DEFAULT_RETURN_TO =
            new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback"));
    static final AuthorizationSettings SETTINGS = new AuthorizationSettings(
            "starlib-client-id",
            URI.create("https://secure.soundcloud.com/authorize"),
            URI.create("http://localhost:8080/auth/soundcloud/redirect"),
            DEFAULT_RETURN_TO,
            PENDING_TTL,
            RESULT_TTL);
    static final TokenEndpointBreaker.Settings BREAKER =
            new TokenEndpointBreaker.Settings(3, Duration.ofSeconds(10), Duration.ofSeconds(40));
    static final ReturnToPolicy POLICY = ReturnToPolicy.ofOrigins(List.of(
            "http://localhost:3000", "http://127.0.0.1:8000", "https://tauri.localhost", "tauri://localhost",
            "starlib://localhost"));

    private Fixtures() {
    }

    /** A login as StartLogin would have stored it. */
    record Started(State state, CodeVerifier verifier, PendingAuthorization pending) {
    }

    static Started startLogin(SessionStore store, MutableClock clock, String returnTo) {
        State state = State.generate(RANDOM);
        CodeVerifier verifier = CodeVerifier.generate(RANDOM);
        PendingAuthorization pending = PendingAuthorization.start(state, verifier,
                new ReturnTo(URI.create(returnTo)), clock.instant(), PENDING_TTL);
        assertThat(store.create(new OAuthSession.Pending(pending))).isEqualTo(new SessionStore.Creation.Created());
        return new Started(state, verifier, pending);
    }

    static TokenEndpointBreaker breaker(MutableClock clock, AuthEvents events) {
        return new TokenEndpointBreaker(BREAKER, clock, events);
    }

    /** Opens the breaker the way an outage does: a run of calls that got no answer. */
    static void openBreaker(TokenEndpointBreaker breaker) {
        for (int i = 0; i < BREAKER.failuresToOpen(); i++) {
            var call = (TokenEndpointBreaker.Permit.Call) breaker.permit(AuthEvents.UpstreamEndpoint.TOKEN_REFRESH);
            breaker.record(call, new SoundCloud.UpstreamResult.Unavailable<>("HTTP 503"));
        }
        assertThat(breaker.status().state()).isEqualTo(TokenEndpointBreaker.State.OPEN);
    }

    static Started startLogin(SessionStore store, MutableClock clock) {
        return startLogin(store, clock, DEFAULT_RETURN_TO.uri().toString());
    }
}
