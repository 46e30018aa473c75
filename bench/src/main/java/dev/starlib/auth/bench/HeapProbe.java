package dev.starlib.auth.bench;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.MemorySessionStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run in a JVM of its own by {@link HeapPhase}: fills the real memory store with pending logins through the real
 * /authorize use case ({@code StartLogin}: fresh state and PKCE from SecureRandom, the return_to parsed per call as
 * from a request), so what stays on the heap is exactly what the service keeps per pending login, without a
 * million HTTP requests. It says {@code BASELINE} and {@code FULL} on standard output and waits for a line on
 * standard input after each, while the benchmark takes a class histogram. Then it takes every login on, with
 * the domain's transitions through the store as the use cases apply them: consumed and finished with tokens
 * ({@code FINISHED}: a result waiting for its pickup), then picked up ({@code PICKED_UP}: the marker each login
 * leaves for the rest of its result's TTL, the stage a steady load holds most of), waiting after each. Last, as
 * many refreshes run through the real {@code POST /refresh} use case ({@code RefreshTokens}, against a SoundCloud
 * that answers at once), and each leaves its answer remembered for the reuse window ({@code REMEMBERED}).
 */
public final class HeapProbe {

    static final String BASELINE = "BASELINE";
    static final String FULL = "FULL";
    static final String FINISHED = "FINISHED";
    static final String PICKED_UP = "PICKED_UP";
    static final String REMEMBERED = "REMEMBERED";
    /** The service's default RESULT_TTL_SECONDS. */
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    /** The service's default REFRESH_REUSE_SECONDS and SOUNDCLOUD_TIMEOUT_MS. */
    private static final Duration REUSE_WINDOW = Duration.ofSeconds(60);
    private static final Duration SOUNDCLOUD_TIMEOUT = Duration.ofSeconds(10);
    private static final HexFormat HEX = HexFormat.of();
    static final int TOKEN_CHARACTERS = 32;
    private static final SoundCloudUser USER = new SoundCloudUser(4242, "ada", "ada-lovelace",
            "https://i1.sndcdn.com/avatars-ada.jpg");
    /** The service's default ALLOWED_RETURN_ORIGINS. */
    private static final List<String> ORIGINS = List.of("http://localhost:3000", "http://127.0.0.1:8000",
            "https://tauri.localhost", "tauri://localhost", "starlib://localhost");
    private static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";

    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = Integer.parseInt(args[0]);
        // StartLogin logs each login at INFO, as in the service; a million lines would only measure the console.
        Logger.getLogger("").setLevel(Level.WARNING);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        // Warm every class and the JIT on a store that is garbage before the baseline.
        int warming = Math.min(20_000, sessions);
        MemorySessionStore warm = new MemorySessionStore(warming);
        long[] warmKeys = fill(warm, warming, new long[4 * warming]);
        finishAll(warm, warmKeys, warming);
        pickUpAll(warm, warmKeys, warming);
        refreshAll(warm, warming);
        MemorySessionStore store = new MemorySessionStore(sessions + 1);
        // The keys, to take each login on later, in an array that is part of the baseline.
        long[] keys = new long[4 * sessions];
        System.out.println(BASELINE);
        System.out.flush();
        in.readLine();
        fill(store, sessions, keys);
        System.out.println(FULL + " " + sessions);
        System.out.flush();
        in.readLine();
        finishAll(store, keys, sessions);
        System.out.println(FINISHED + " " + sessions);
        System.out.flush();
        in.readLine();
        pickUpAll(store, keys, sessions);
        System.out.println(PICKED_UP + " " + sessions);
        System.out.flush();
        in.readLine();
        refreshAll(store, sessions);
        System.out.println(REMEMBERED + " " + sessions);
        System.out.flush();
        in.readLine();
        Reference.reachabilityFence(store);
    }

    /** Consumes each login whose key {@code keys} holds and finishes it with tokens, as SoundCloud's answer would. */
    private static void finishAll(MemorySessionStore store, long[] keys, int sessions) {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < sessions; i++) {
            StateHash key = key(keys, i);
            Instant now = Instant.now();
            if (!(store.update(key, OAuthSession.consume(now, RESULT_TTL))
                    instanceof OAuthSession.Consumption.Consumed consumed)) {
                throw new IllegalStateException("login " + i + " was not consumable");
            }
            PendingAuthorization pending = consumed.pending();
            FinishedLogin finished = new FinishedLogin(pending.key(), pending.stateHint(),
                    new LoginOutcome.Succeeded(tokens(random), USER), now, now.plus(RESULT_TTL));
            store.update(key, OAuthSession.finish(finished));
        }
    }

    /** Picks up each finished login whose key {@code keys} holds. */
    private static void pickUpAll(MemorySessionStore store, long[] keys, int sessions) {
        for (int i = 0; i < sessions; i++) {
            if (!(store.update(key(keys, i), OAuthSession.pickUp(Instant.now())) instanceof OAuthSession.PickUp.Ready)) {
                throw new IllegalStateException("login " + i + " was not ready for its pickup");
            }
        }
    }

    /**
     * Refreshes {@code count} tokens of SoundCloud's shape through the use case, with the service's defaults (reuse
     * window 60 s, SOUNDCLOUD_TIMEOUT_MS 10 s), so that each answer stays remembered in {@code store}.
     */
    private static void refreshAll(MemorySessionStore store, int count) {
        SecureRandom random = new SecureRandom();
        SoundCloud rotating = new SoundCloud() {
            @Override
            public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
                return new UpstreamResult.Success<>(tokens(random));
            }

            @Override
            public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
                throw new UnsupportedOperationException("only refreshes here");
            }

            @Override
            public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
                throw new UnsupportedOperationException("only refreshes here");
            }

            @Override
            public UpstreamResult<SessionEnd> signOut(AccessToken accessToken) {
                throw new UnsupportedOperationException("only refreshes here");
            }

            @Override
            public UpstreamResult<AppTokenGrant> grantAppToken() {
                throw new UnsupportedOperationException("only refreshes here");
            }

            @Override
            public UpstreamResult<AppTokenGrant> refreshAppToken(RefreshToken refreshToken) {
                throw new UnsupportedOperationException("only refreshes here");
            }
        };
        Clock clock = Clock.systemUTC();
        TokenEndpointBreaker breaker = new TokenEndpointBreaker(
                new TokenEndpointBreaker.Settings(5, Duration.ofSeconds(5), Duration.ofMinutes(1)), clock, AuthEvents.NONE);
        RefreshTokens refresh = new RefreshTokens(store, rotating, breaker,
                new RefreshTokens.Settings(REUSE_WINDOW, SOUNDCLOUD_TIMEOUT, SOUNDCLOUD_TIMEOUT.multipliedBy(3)),
                clock, random, AuthEvents.NONE);
        for (int i = 0; i < count; i++) {
            if (!(refresh.refresh(new RefreshToken(token(random))) instanceof RefreshTokens.Result.Refreshed)) {
                throw new IllegalStateException("refresh " + i + " did not rotate");
            }
        }
    }

    /** A token pair shaped like SoundCloud's: {@value #TOKEN_CHARACTERS} characters each ("2-294731-…"). */
    private static Tokens tokens(SecureRandom random) {
        return new Tokens(new AccessToken(token(random)), new RefreshToken(token(random)), Duration.ofHours(1));
    }

    private static String token(SecureRandom random) {
        StringBuilder token = new StringBuilder("2-");
        while (token.length() < TOKEN_CHARACTERS) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return token.toString();
    }

    private static StateHash key(long[] keys, int i) {
        return new StateHash(HEX.toHexDigits(keys[4 * i]) + HEX.toHexDigits(keys[4 * i + 1])
                + HEX.toHexDigits(keys[4 * i + 2]) + HEX.toHexDigits(keys[4 * i + 3]));
    }

    /** Starts {@code sessions} logins; their keys (each 4 {@code long}s) go into {@code keys}. */
    private static long[] fill(MemorySessionStore store, int sessions, long[] keys) {
        ReturnToPolicy policy = ReturnToPolicy.ofOrigins(ORIGINS);
        ReturnTo defaultReturnTo = switch (policy.check(RETURN_TO)) {
            case ReturnToPolicy.Verdict.Accepted accepted -> accepted.returnTo();
            case ReturnToPolicy.Verdict.Rejected rejected -> throw new IllegalStateException(rejected.reason());
        };
        AuthorizationSettings settings = new AuthorizationSettings("starlib-bench",
                URI.create("https://secure.soundcloud.com/authorize"),
                URI.create("http://127.0.0.1:8000/auth/soundcloud/redirect"), defaultReturnTo,
                Duration.ofMinutes(10), Duration.ofMinutes(2));
        StartLogin startLogin = new StartLogin(settings, policy, store, new SecureRandom(), Clock.systemUTC(),
                AuthEvents.NONE);
        for (int i = 0; i < sessions; i++) {
            // A new String each time, as a decoded query parameter is.
            StartLogin.Result result = startLogin.start(Optional.of(new String(RETURN_TO.toCharArray())));
            if (!(result instanceof StartLogin.Result.Started started)) {
                throw new IllegalStateException("login " + i + " did not start: " + result);
            }
            String hex = started.state().hash().hex();
            for (int part = 0; part < 4; part++) {
                keys[4 * i + part] = HexFormat.fromHexDigitsToLong(hex, 16 * part, 16 * part + 16);
            }
        }
        return keys;
    }
}
