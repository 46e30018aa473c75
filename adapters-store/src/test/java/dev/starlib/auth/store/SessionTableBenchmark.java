package dev.starlib.auth.store;

import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.starlib.auth.store.Logins.T0;

/**
 * Prints the store's CPU per login (create, consume, finish, pick up, as the use cases do them) while the memory
 * store holds many other pending logins, the cost that {@link SessionTable}'s indexes add to every login. Figures,
 * not assertions:
 * <pre>
 *   ./mvnw -B -q -pl adapters-store -am test -Dbenchmark=true -Dtest=SessionTableBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.sessions=100000]
 * </pre>
 * The logins' objects are built before each timed round, so the figure is the store's alone (its thread's CPU).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SessionTableBenchmark {

    private static final int HELD = Integer.getInteger("benchmark.sessions", 100_000);
    private static final int ROUND = 20_000;
    private static final int ROUNDS = 15;
    private static final Duration RESULT_TTL = Duration.ofSeconds(90);

    @Test
    void cpuPerLogin() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemorySessionStore store = new MemorySessionStore(10_000_000);
        Instant now = T0;
        for (int i = 0; i < HELD; i++) {
            now = now.plusNanos(3_000_000);
            LoginSteps.create(store, Logins.pending(now));
        }
        System.out.printf("%nSession table: %d pending logins held, %s, %d CPUs%n", HELD, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        double[] cpuPerLogin = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            List<PendingAuthorization> pendings = new ArrayList<>(ROUND);
            List<FinishedLogin> finished = new ArrayList<>(ROUND);
            Instant at = now;
            for (int i = 0; i < ROUND; i++) {
                at = at.plusNanos(10_000);
                PendingAuthorization pending = Logins.pending(at);
                pendings.add(pending);
                finished.add(Logins.succeeded(pending, at.plusNanos(2_000), RESULT_TTL));
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < ROUND; i++) {
                PendingAuthorization pending = pendings.get(i);
                Instant started = pending.createdAt();
                LoginSteps.create(store, pending);
                LoginSteps.consume(store, pending.key(), started.plusNanos(1_000));
                LoginSteps.saveResult(store, finished.get(i));
                LoginSteps.pickUp(store, pending.key(), started.plusNanos(3_000));
                if (i % 1_000 == 0) {
                    store.counts(started);
                }
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            now = at;
            cpuPerLogin[round] = cpu / 1e3 / ROUND;
            System.out.printf("round %2d: %6.2f us CPU per login, %6.2f us wall, %d held%n", round,
                    cpu / 1e3 / ROUND, wall / 1e3 / ROUND, store.counts(now).pending());
        }
        // The first rounds warm the JIT up; the median of the rest is the figure.
        double[] warm = java.util.Arrays.copyOfRange(cpuPerLogin, 3, ROUNDS);
        java.util.Arrays.sort(warm);
        System.out.printf("median after warm-up: %.2f us CPU per login (min %.2f)%n", warm[warm.length / 2], warm[0]);
    }
}
