package dev.starlib.auth.store;

import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.RotationLedger.Publication;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Prints the memory store's CPU per sign-out (both of its {@code forget}s, as {@code SignOut} calls them) and per
 * refresh (a claim and a publish that is remembered, as {@code RefreshTokens} calls them) while the ledger holds
 * 10³, 10⁵ and 10⁶ other remembered refreshes, each handing out two tokens. Figures, not assertions:
 * <pre>
 *   ./mvnw -B -q -pl adapters-store -am test -Dbenchmark=true -Dtest=RotationLedgerBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.sizes=1000,100000,1000000] \
 *       [-Dbenchmark.round=200] [-Dbenchmark.rounds=10]
 * </pre>
 * The figures are in {@code adapters-store/target/surefire-reports/…RotationLedgerBenchmark-output.txt}. Each round
 * remembers {@code benchmark.round} refreshes and signs each of them out again, so the ledger holds the same number
 * throughout; the first three rounds warm the JIT up. The tokens and answers are made before each timed round, so the figure is the store's alone
 * (its thread's CPU).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RotationLedgerBenchmark {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration LEASE = Duration.ofSeconds(40);
    private static final int ROUND = Integer.getInteger("benchmark.round", 200);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 10);

    @Test
    void cpuPerSignOutAndPerRefresh() {
        System.out.printf("%nRotation ledger (memory store), %s, %d CPUs%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        for (String size : System.getProperty("benchmark.sizes", "1000,100000,1000000").split(",")) {
            measure(Integer.parseInt(size.trim()));
        }
    }

    private static void measure(int held) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemorySessionStore store = new MemorySessionStore(held + ROUNDS * ROUND + 1);
        for (int i = 0; i < held; i++) {
            remember(store, RotationLedgerContract.token(), Set.of(RotationLedgerContract.token(),
                    RotationLedgerContract.token()), RotationLedgerContract.answer());
        }
        double[] perSignOut = new double[ROUNDS];
        double[] perRefresh = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            List<TokenHash> rotated = new ArrayList<>(ROUND);
            List<Set<TokenHash>> handedOut = new ArrayList<>(ROUND);
            List<SealedRotation> answers = new ArrayList<>(ROUND);
            for (int i = 0; i < ROUND; i++) {
                rotated.add(RotationLedgerContract.token());
                handedOut.add(Set.of(RotationLedgerContract.token(), RotationLedgerContract.token()));
                answers.add(RotationLedgerContract.answer());
            }
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ROUND; i++) {
                remember(store, rotated.get(i), handedOut.get(i), answers.get(i));
            }
            perRefresh[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / ROUND;
            cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ROUND; i++) {
                for (TokenHash token : handedOut.get(i)) {
                    store.forget(token); // a sign-out: the access token, then the refresh token
                }
            }
            perSignOut[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / ROUND;
        }
        System.out.printf("%,9d remembered: %8.2f us CPU per sign-out, %6.2f us per refresh (medians after warm-up;"
                + " sign-out min %.2f)%n", held, median(perSignOut), median(perRefresh), min(perSignOut));
    }

    private static void remember(MemorySessionStore store, TokenHash rotated, Set<TokenHash> handsOut,
                                 SealedRotation answer) {
        Claim claim = store.claim(rotated, T0, T0.plus(LEASE));
        Lease lease = ((Claim.Granted) claim).lease();
        if (store.publish(lease, answer, handsOut, T0, T0.plus(WINDOW)) != Publication.REMEMBERED) {
            throw new IllegalStateException("the ledger did not remember a refresh");
        }
    }

    /** The first rounds warm the JIT up; the median of the rest is the figure. */
    private static double median(double[] rounds) {
        double[] warm = Arrays.copyOfRange(rounds, 3, rounds.length);
        Arrays.sort(warm);
        return warm[warm.length / 2];
    }

    private static double min(double[] rounds) {
        return Arrays.stream(rounds, 3, rounds.length).min().orElseThrow();
    }
}
