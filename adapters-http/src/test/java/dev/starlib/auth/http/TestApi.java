package dev.starlib.auth.http;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.CancelLogin;
import dev.starlib.auth.application.CompleteLogin;
import dev.starlib.auth.application.LookUpLogin;
import dev.starlib.auth.application.PickUpLogin;
import dev.starlib.auth.application.ProvideAppToken;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.SessionOverview;
import dev.starlib.auth.application.SignOut;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.Origin;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The public API wired to the real use cases over the real memory store and a scripted SoundCloud, as bootstrap
 * wires it over real adapters.
 * The route tests share one ({@link RouteTest#APP}); AdminRoutesTest has its own. Each is reset before every test.
 */
final class TestApi {

    static final String ROOT = "/auth/soundcloud";
    static final String FRONTEND = "http://localhost:3000";
    static final String FRONTEND_CALLBACK = FRONTEND + "/auth/soundcloud/callback";
    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    static final Duration RESULT_TTL = Duration.ofMinutes(2);
    static final CorsPolicy CORS = new CorsPolicy(
            Set.of(Origin.parse(FRONTEND).orElseThrow(), Origin.parse("tauri://localhost").orElseThrow()), true);

    final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    final SwitchableMemoryStore store = new SwitchableMemoryStore();
    final SessionOverview sessions = new SessionOverview(store, clock);
    final CancelLogin cancelLogin = new CancelLogin(store, clock);
    final ScriptedSoundCloud soundCloud = new ScriptedSoundCloud();
    /** Opens after three outage failures in a row, for ten seconds at first. */
    final TokenEndpointBreaker breaker = new TokenEndpointBreaker(
            new TokenEndpointBreaker.Settings(3, Duration.ofSeconds(10), Duration.ofSeconds(60)), clock, AuthEvents.NONE);
    final AuthUseCases useCases;
    /** The app token over the same store and SoundCloud, renewed 5 minutes before it expires. */
    final ProvideAppToken appToken = new ProvideAppToken(store, soundCloud, breaker,
            CredentialsFingerprint.of("test-client-id", "test-client-secret"), Duration.ofMinutes(5), clock,
            AuthEvents.NONE);

    TestApi() {
        AuthorizationSettings settings = new AuthorizationSettings("test-client-id",
                URI.create("https://secure.soundcloud.test/authorize"),
                URI.create("http://127.0.0.1:8000/auth/soundcloud/redirect"),
                new ReturnTo(URI.create(FRONTEND_CALLBACK)), PENDING_TTL, RESULT_TTL);
        ReturnToPolicy policy = ReturnToPolicy.ofOrigins(List.of(FRONTEND, "http://127.0.0.1:8000", "tauri://localhost"));
        useCases = new AuthUseCases(
                new StartLogin(settings, policy, store, new SecureRandom(), clock, AuthEvents.NONE),
                new CompleteLogin(store, soundCloud, breaker, RESULT_TTL, clock, AuthEvents.NONE),
                new PickUpLogin(store, clock),
                new RefreshTokens(store, soundCloud, breaker, new RefreshTokens.Settings(Duration.ofSeconds(60),
                        Duration.ofSeconds(10), Duration.ofSeconds(30)), clock, new SecureRandom(), AuthEvents.NONE),
                new SignOut(soundCloud, store, AuthEvents.NONE),
                new LookUpLogin(store, clock));
    }

    void register(HttpRouting.Builder routing) {
        PublicApi.register(routing, Optional.of(useCases), CORS);
    }

    static void configure(WebServerConfig.Builder server) {
        server.directHandlers(PublicApi.directHandlers(CORS)).errorHandling(PublicApi.errorHandling());
    }

    void reset() {
        store.reset();
        soundCloud.reset();
        breaker.reset();
        clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    }

    /** Starts a login the way /authorize does and returns its state, for tests of the later steps. */
    State startLogin(String returnTo) {
        return switch (useCases.startLogin().start(Optional.of(returnTo))) {
            case StartLogin.Result.Started started -> started.state();
            case StartLogin.Result result -> throw new AssertionError("login did not start: " + result);
        };
    }

    State startLogin() {
        return startLogin(FRONTEND_CALLBACK);
    }

    /** What the store answers when this state comes back from SoundCloud now, as /redirect would ask it. */
    OAuthSession.Consumption consume(State state) {
        return store.update(state.hash(), OAuthSession.consume(clock.instant(), RESULT_TTL));
    }

    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
