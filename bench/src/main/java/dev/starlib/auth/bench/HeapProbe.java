package dev.starlib.auth.bench;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.store.Logins;
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
 * standard input after each, while the benchmark takes a class histogram. Then it takes every login on to its
 * pickup (consumed, finished with tokens, picked up: the domain's transitions through the store, as the use cases
 * apply them), says {@code PICKED_UP} and waits again: what stays is the marker each login leaves for the rest of
 * its result's TTL, the stage a steady load holds most of.
 */
public final class HeapProbe {

    static final String BASELINE = "BASELINE";
    static final String FULL = "FULL";
    static final String PICKED_UP = "PICKED_UP";
    /** The service's default RESULT_TTL_SECONDS. */
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final HexFormat HEX = HexFormat.of();
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
        pickUpAll(warm, fill(warm, warming, new long[4 * warming]), warming);
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
        pickUpAll(store, keys, sessions);
        System.out.println(PICKED_UP + " " + sessions);
        System.out.flush();
        in.readLine();
        Reference.reachabilityFence(store);
    }

    /** Consumes, finishes and picks up each login whose key {@code keys} holds. */
    private static void pickUpAll(MemorySessionStore store, long[] keys, int sessions) {
        for (int i = 0; i < sessions; i++) {
            StateHash key = new StateHash(HEX.toHexDigits(keys[4 * i]) + HEX.toHexDigits(keys[4 * i + 1])
                    + HEX.toHexDigits(keys[4 * i + 2]) + HEX.toHexDigits(keys[4 * i + 3]));
            Instant now = Instant.now();
            if (!(store.update(key, OAuthSession.consume(now, RESULT_TTL))
                    instanceof OAuthSession.Consumption.Consumed consumed)) {
                throw new IllegalStateException("login " + i + " was not consumable");
            }
            FinishedLogin finished = Logins.succeeded(consumed.pending(), now, RESULT_TTL);
            store.update(key, OAuthSession.finish(finished));
            if (!(store.update(key, OAuthSession.pickUp(now)) instanceof OAuthSession.PickUp.Ready)) {
                throw new IllegalStateException("login " + i + " was not ready for its pickup");
            }
        }
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
