package dev.starlib.auth.bench;

import dev.starlib.auth.application.AuthorizationSettings;
import dev.starlib.auth.application.StartLogin;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.store.MemorySessionStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run in a JVM of its own by {@link HeapPhase}: fills the real memory store with pending logins through the real
 * /authorize use case ({@code StartLogin}: fresh state and PKCE from SecureRandom, the return_to parsed per call as
 * from a request), so what stays on the heap is exactly what the service keeps per pending login, without a
 * million HTTP requests. It says {@code BASELINE} and {@code FULL} on standard output and waits for a line on
 * standard input after each, while the benchmark takes a class histogram.
 */
public final class HeapProbe {

    static final String BASELINE = "BASELINE";
    static final String FULL = "FULL";
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
        fill(new MemorySessionStore(20_000), Math.min(20_000, sessions));
        MemorySessionStore store = new MemorySessionStore(sessions + 1);
        System.out.println(BASELINE);
        System.out.flush();
        in.readLine();
        fill(store, sessions);
        System.out.println(FULL + " " + sessions);
        System.out.flush();
        in.readLine();
        Reference.reachabilityFence(store);
    }

    private static void fill(MemorySessionStore store, int sessions) {
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
            if (!(result instanceof StartLogin.Result.Started)) {
                throw new IllegalStateException("login " + i + " did not start: " + result);
            }
        }
    }
}
