package dev.starlib.auth.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Prints what one durable append costs through {@link LogWriter}: a log that grows by each append and is fsynced,
 * against one zero-filled ahead and written {@code O_DSYNC}. One thread, one 1,200-byte write per sync (about a
 * login's four records), the two in turn, twice. Figures, not assertions:
 * <pre>
 *   flock /work/bench.lock ./mvnw -B -q -pl adapters-store -am verify -Dbenchmark=true -Dtest=LogSyncBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class LogSyncBenchmark {

    private static final int SYNCS = 2_000;

    @TempDir
    Path root;

    @Test
    void appendAndSyncLatency() throws Exception {
        byte[] records = new byte[1_200];
        new Random(1).nextBytes(records);
        System.out.printf("%nDurable appends of %d bytes, one thread, %d each (directory %s)%n", records.length, SYNCS,
                root);
        for (int round = 0; round < 2; round++) {
            measure("growing, write + fsync", 0, records);
            measure("zero-filled ahead, O_DSYNC write", FileSessionStore.Options.DEFAULTS.preallocationBytes(),
                    records);
        }
    }

    private void measure(String label, int preallocation, byte[] records) throws Exception {
        Path log = root.resolve("log-" + System.nanoTime());
        PrivateFiles.createFile(log);
        long[] took = new long[SYNCS];
        long cpu;
        long started;
        long total;
        try (LogWriter writer = LogWriter.append(log, 0, preallocation)) {
            writer.appendAndSync(records, records.length); // the first stretch of zeros, when there is one
            cpu = processCpuNanos();
            started = System.nanoTime();
            for (int i = 0; i < SYNCS; i++) {
                long before = System.nanoTime();
                writer.appendAndSync(records, records.length);
                took[i] = System.nanoTime() - before;
            }
            total = System.nanoTime() - started;
            cpu = processCpuNanos() - cpu;
        }
        Arrays.sort(took);
        System.out.printf("%-34s %6.0f syncs/s   p50 %5.0f µs   p99 %5.0f µs   process CPU %4.0f µs per sync%n",
                label, SYNCS / (total / 1e9), took[SYNCS / 2] / 1e3, took[SYNCS * 99 / 100] / 1e3, cpu / 1e3 / SYNCS);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
