package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.PendingAuthorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.Logins.T0;

/**
 * Prints how long the file store takes to start on a large log, to rewrite it, and how many changes per second
 * it makes durable. Figures, not assertions: run it on the machine you care about with
 * <pre>
 *   mvn -B -pl adapters-store -am verify -Dbenchmark=true -Dtest=FileSessionStoreBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.sessions=100000] [-Dbenchmark.only=syncs]
 * </pre>
 * Its name keeps it out of the default test run; the condition keeps it out of an IDE's "run all".
 * The log is written by {@link LargeLog}. {@code ./bench.sh} times the same open inside the packaged service
 * (start to first answer) at 10^3..10^6 sessions; this one adds the rewrite and the durable write rates.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FileSessionStoreBenchmark {

    private static final int LIVE = Integer.getInteger("benchmark.sessions", 100_000);
    /** {@code -Dbenchmark.only=syncs}: only the durable write and login rates, for each way of syncing. */
    private static final boolean ONLY_SYNCS = "syncs".equals(System.getProperty("benchmark.only"));

    @TempDir
    Path root;

    @Test
    void startupRewriteAndWriteRates() throws Exception {
        StoreKey key = StoreFixtures.newKey();
        System.out.printf("%nFile session store, %d live sessions (half pending, half finished with tokens), %s, %d CPUs%n",
                LIVE, Runtime.version(), Runtime.getRuntime().availableProcessors());
        if (!ONLY_SYNCS) {
            opensAndRewrite(key);
        }
        // Twice in turn when only these run: on a shared machine one pass of each says little.
        for (int round = 0; round < (ONLY_SYNCS ? 2 : 1); round++) {
            for (Sync sync : Sync.values()) {
                System.out.printf("%nsyncs: %s%n", sync.description);
                writeRates(root.resolve("rates-" + sync + round), key, sync.options);
                loginRates(root.resolve("logins-" + sync + round), key, sync.options);
            }
        }
    }

    private void opensAndRewrite(StoreKey key) throws Exception {
        Path live = root.resolve("live");
        LargeLog.write(live, key, LIVE, LargeLog.Shape.HALF_FINISHED, T0, Logins.PENDING_TTL);
        report("live sessions only", live, key);

        Path withHistory = root.resolve("history");
        LargeLog.write(withHistory, key, LIVE, LargeLog.Shape.HALF_FINISHED_WITH_HISTORY, T0, Logins.PENDING_TTL);
        report("plus one superseded record each", withHistory, key);

        rewriteUnderWriters(live, key);
    }

    /**
     * A rewrite (compaction) of the log while 16 threads create logins one after another: how long it takes, and what
     * the writers meanwhile got done and waited at most, against their longest wait in the 3 s before it. A rewrite
     * that held the writers' lock would show no creates during it and one wait as long as the rewrite.
     */
    private static void rewriteUnderWriters(Path directory, StoreKey key) throws Exception {
        FileSessionStore store = open(directory, key);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean rewriting = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong longestDuring = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong longestBefore = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong createsDuring = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            writers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    boolean during = rewriting.get();
                    long started = System.nanoTime();
                    create(store, Logins.pending(T0));
                    long took = System.nanoTime() - started;
                    if (during || rewriting.get()) {
                        longestDuring.accumulateAndGet(took, Math::max);
                        createsDuring.incrementAndGet();
                    } else {
                        longestBefore.accumulateAndGet(took, Math::max);
                    }
                }
            }));
        }
        Thread.sleep(3_000);
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        rewriting.set(true);
        store.compact();
        rewriting.set(false);
        long took = System.nanoTime() - started;
        long cpu = processCpuNanos() - cpuBefore;
        stop.set(true);
        for (Thread writer : writers) {
            writer.join();
        }
        store.close();
        System.out.printf("rewrite (compaction) of %d sessions with 16 writers: %d ms (process CPU %d ms, writers'"
                        + " included); %d creates during it, the longest %.1f ms (in the 3 s before: %.1f ms)%n",
                LIVE, took / 1_000_000, cpu / 1_000_000, createsDuring.get(), longestDuring.get() / 1e6,
                longestBefore.get() / 1e6);
    }


    /** How a change reaches the disk: the default, and the log growing by each append (before issue 12's B6). */
    private enum Sync {
        PREALLOCATED("the default: a zero-filled log, each write O_DSYNC (data only)", FileSessionStore.Options.DEFAULTS),
        GROWING("no preallocation: each append grows the file, then fsync",
                new FileSessionStore.Options(true, FileSessionStore.Options.DEFAULTS.compactionSlack(), 0));

        final String description;
        final FileSessionStore.Options options;

        Sync(String description, FileSessionStore.Options options) {
            this.description = description;
            this.options = options;
        }
    }

    /**
     * Whole logins through the store alone (create, consume, finish, pick up: four durable changes on the file
     * store), from 16 and 64 virtual threads, memory store against file store: what group commit leaves of the
     * memory store's rate, without HTTP and SoundCloud around it. CPU is the process's, all threads.
     */
    private static void loginRates(Path directory, StoreKey key, FileSessionStore.Options options) throws Exception {
        for (int threads : new int[]{16, 64}) {
            double[] memory = loginRate(new MemorySessionStore(10_000_000), threads);
            FileSessionStore file = FileSessionStore.open(directory.resolve("t" + threads), Optional.of(key),
                    10_000_000, AuthEvents.NONE, options);
            double[] onDisk;
            try {
                onDisk = loginRate(file, threads);
            } finally {
                file.close();
            }
            System.out.printf("store logins, %d threads: memory %.0f/s (%.1f µs CPU each), file %.0f/s (%.1f µs CPU"
                    + " each): file ÷ memory %.2f×%n", threads, memory[0], memory[1], onDisk[0], onDisk[1],
                    onDisk[0] / memory[0]);
        }
    }

    /** {logins/s, CPU µs per login} over 3 s after a 1 s warm-up. */
    private static double[] loginRate(SessionStore store, int threads) throws Exception {
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> users = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            users.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    PendingAuthorization pending = Logins.pending(T0);
                    create(store, pending);
                    consume(store, pending.key(), T0.plusSeconds(1));
                    LoginSteps.saveResult(store, Logins.succeeded(pending, T0.plusSeconds(2), StoreFixtures.RESULT_TTL));
                    LoginSteps.pickUp(store, pending.key(), T0.plusSeconds(3));
                    done.incrementAndGet();
                }
            }));
        }
        Thread.sleep(1_000);
        long cpu = processCpuNanos();
        long count = done.get();
        long started = System.nanoTime();
        Thread.sleep(3_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        double logins = done.get() - count;
        double cpuMicros = (processCpuNanos() - cpu) / 1e3;
        stop.set(true);
        for (Thread user : users) {
            user.join();
        }
        return new double[]{logins / seconds, cpuMicros / logins};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A restart is a fresh JVM: cold code, empty heap. Those opens run in child processes; then warm ones here. */
    private static void report(String label, Path directory, StoreKey key) throws Exception {
        long bytes = Files.size(directory.resolve(FileSessionStore.LOG_FILE));
        List<Long> cold = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            cold.add(openInAFreshJvm(directory, key));
        }
        long[] warm = new long[5];
        for (int run = 0; run < warm.length; run++) {
            long started = System.nanoTime();
            open(directory, key).close();
            warm[run] = millisSince(started);
        }
        Arrays.sort(warm);
        System.out.printf("open, %s: log %.1f MiB; in a fresh JVM %s ms; warm median %d ms (min %d, max %d)%n",
                label, bytes / 1048576.0, cold, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
    }

    private static long openInAFreshJvm(Path directory, StoreKey key) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dbenchmark.sessions=" + LIVE,
                "-cp", System.getProperty("java.class.path"), ColdOpen.class.getName(), directory.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().write(key.toBase64().getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the cold open failed:\n" + output);
        }
        String[] lines = output.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip());
    }

    /** Opens a store once and prints how many milliseconds that took; the key comes on standard input. */
    static final class ColdOpen {
        public static void main(String[] args) throws IOException {
            StoreKey key = StoreKey.fromBase64(new String(System.in.readAllBytes(),
                    StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            FileSessionStore store = open(Path.of(args[0]), key);
            long took = millisSince(started);
            store.close();
            System.out.println(took);
        }
    }

    private static void writeRates(Path directory, StoreKey key, FileSessionStore.Options options) throws Exception {
        FileSessionStore store = FileSessionStore.open(directory, Optional.of(key), 2 * LIVE, AuthEvents.NONE, options);
        int count = 2_000;
        List<PendingAuthorization> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logins.add(Logins.pending(T0));
        }
        long started = System.nanoTime();
        for (PendingAuthorization pending : logins) {
            create(store, pending);
        }
        long sequential = System.nanoTime() - started;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        started = System.nanoTime();
        List<Future<?>> consumes = new ArrayList<>();
        for (PendingAuthorization pending : logins) {
            consumes.add(threads.submit(() -> consume(store, pending.key(), T0.plusSeconds(1))));
        }
        for (Future<?> consume : consumes) {
            consume.get();
        }
        long concurrent = System.nanoTime() - started;
        threads.shutdown();
        store.close();
        System.out.printf("durable writes: %d saves in one thread %.0f/s (%.3f ms each); %d consumes from 8 threads %.0f/s%n",
                count, count / (sequential / 1e9), sequential / 1e6 / count, count, count / (concurrent / 1e9));
    }

    private static FileSessionStore open(Path directory, StoreKey key) {
        return FileSessionStore.open(directory, Optional.of(key), 2 * LIVE, AuthEvents.NONE,
                FileSessionStore.Options.DEFAULTS);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
