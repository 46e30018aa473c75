package dev.starlib.auth.store;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.Tokens;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Real domain objects for store tests: every login gets a fresh random state and verifier. */
public final class Logins {

    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    public static final Duration PENDING_TTL = Duration.ofMinutes(10);
    public static final String FRONTEND_ORIGIN = "http://localhost:3000";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientKey.Hasher CLIENTS = new ClientKey.Hasher(new byte[32]);
    private static final ReturnToPolicy POLICY = ReturnToPolicy.ofOrigins(List.of(FRONTEND_ORIGIN));

    private Logins() {
    }

    /** A login started at {@code createdAt}, with its state kept so tests can check nothing leaks it. */
    public record Started(State state, PendingAuthorization pending) {
    }

    public static Started start(Instant createdAt) {
        return start(createdAt, PENDING_TTL);
    }

    public static Started start(Instant createdAt, Duration ttl) {
        State state = State.generate(RANDOM);
        PendingAuthorization pending = PendingAuthorization.start(state, CodeVerifier.generate(RANDOM),
                frontendCallback(), createdAt, ttl);
        return new Started(state, pending);
    }

    public static PendingAuthorization pending(Instant createdAt) {
        return start(createdAt).pending();
    }

    /** A login started by {@code client}, which takes one of that client's places while it waits. */
    public static PendingAuthorization pending(Instant createdAt, ClientKey client) {
        return PendingAuthorization.start(State.generate(RANDOM), CodeVerifier.generate(RANDOM), frontendCallback(),
                createdAt, PENDING_TTL, client);
    }

    /** A client, named for the test: the same name gives the same key. */
    public static ClientKey client(String name) {
        return CLIENTS.keyOf(name);
    }

    public static PendingAuthorization pending(Instant createdAt, Duration ttl) {
        return start(createdAt, ttl).pending();
    }

    public static FinishedLogin succeeded(PendingAuthorization pending, Instant finishedAt, Duration resultTtl) {
        Tokens tokens = new Tokens(new AccessToken("access-" + pending.stateHint()),
                new RefreshToken("refresh-" + pending.stateHint()), Duration.ofHours(1));
        SoundCloudUser user = new SoundCloudUser(4242, "ada", "ada-lovelace", "https://i1.sndcdn.com/avatars-ada.jpg");
        return new FinishedLogin(pending.key(), pending.stateHint(), new LoginOutcome.Succeeded(tokens, user),
                finishedAt, finishedAt.plus(resultTtl));
    }

    public static FinishedLogin failed(PendingAuthorization pending, Instant finishedAt, Duration resultTtl) {
        LoginFailure failure = new LoginFailure(LoginFailure.Reason.ACCESS_DENIED,
                "You did not allow Starlib to access your SoundCloud account.");
        return new FinishedLogin(pending.key(), pending.stateHint(), new LoginOutcome.Failed(failure),
                finishedAt, finishedAt.plus(resultTtl));
    }

    /** A login that met an open breaker (or a 429): it failed, and says when a retry can help. */
    static FinishedLogin failedWithWait(PendingAuthorization pending, Instant finishedAt, Duration resultTtl) {
        LoginFailure failure = new LoginFailure(LoginFailure.Reason.UPSTREAM_UNAVAILABLE,
                "SoundCloud is not answering right now.", java.util.Optional.of(Duration.ofSeconds(30)));
        return new FinishedLogin(pending.key(), pending.stateHint(), new LoginOutcome.Failed(failure),
                finishedAt, finishedAt.plus(resultTtl));
    }

    private static ReturnTo frontendCallback() {
        return switch (POLICY.check(FRONTEND_ORIGIN + "/auth/soundcloud/callback")) {
            case ReturnToPolicy.Verdict.Accepted accepted -> accepted.returnTo();
            case ReturnToPolicy.Verdict.Rejected rejected -> throw new AssertionError(rejected.reason());
        };
    }
}
