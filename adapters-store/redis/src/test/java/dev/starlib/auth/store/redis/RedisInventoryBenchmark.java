package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators' reads of the Redis store cost as it grows: at each size (10^3, 10^5, 10^6 by default) a fresh
 * prefix is filled through the store's own {@code create} (16 at once; every fourth login consumed, so two stages
 * are held), then {@code counts}, {@code oldest(100)} (the dashboard's rows) and {@code probeWritable} are timed
 * one after another: wall time per call (median) and the CPU of this process and of {@code redis-server} per call,
 * from {@code /proc}. Figures, not assertions (beyond the counts being right):
 * <pre>
 *   mvn -B -pl adapters-store/redis -am test -Dbenchmark=true -Dtest=RedisInventoryBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.sizes=1000,100000,1000000]
 * </pre>
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RedisInventoryBenchmark {

    private static final List<Integer> SIZES = Arrays.stream(System.getProperty("benchmark.sizes",
            "1000,100000,1000000").split(",")).map(Integer::parseInt).toList();
    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    @TempDir
    Path directory;

    @Test
    void countsOldestAndReadinessCostTheSameAtEverySize() throws Exception {
        try (RedisServer redis = RedisServer.start(directory)) {
            StoreKey key = TestRedis.newKey();
            System.out.printf("%nRedis store inventory, %s, %d CPUs, redis-server on loopback%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-10s %-14s %12s %14s %14s %8s%n", "sessions", "call", "wall p50 µs", "JVM CPU µs",
                    "Redis CPU µs", "calls");
            for (int size : SIZES) {
                RedisSettings settings = new RedisSettings(RedisLocation.parse(redis.url()),
                        TestRedis.freshPrefix("inventory-bench"), Duration.ofSeconds(5), 0);
                try (RedisSessionStore store = RedisSessionStore.open(settings, key, size + 1_000, Clock.systemUTC(),
                        AuthEvents.NONE)) {
                    long filling = System.nanoTime();
                    fill(store, size);
                    double fillSeconds = (System.nanoTime() - filling) / 1e9;
                    Instant now = Instant.now();
                    assertThat(store.counts(now)).isEqualTo(new SessionCounts(size - size / 4, size / 4, 0, 0));
                    time(size, "counts", redis, () -> store.counts(Instant.now()));
                    time(size, "oldest(100)", redis, () -> store.oldest(Instant.now(), 100));
                    time(size, "probeWritable", redis, store::probeWritable);
                    System.out.printf("%-10d (filled in %.1f s through create, %.0f/s; used_memory %s)%n", size,
                            fillSeconds, size / fillSeconds, memory(redis));
                }
                redis.cli("FLUSHALL");
            }
        }
    }

    private static void fill(RedisSessionStore store, int size) throws Exception {
        ExecutorService users = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> all = new ArrayList<>();
            int chunk = 1_000;
            for (int from = 0; from < size; from += chunk) {
                int first = from;
                int last = Math.min(size, from + chunk);
                all.add(users.submit(() -> {
                    for (int i = first; i < last; i++) {
                        Instant now = Instant.now();
                        PendingAuthorization pending = Logins.pending(now, Duration.ofHours(1));
                        store.create(new OAuthSession.Pending(pending));
                        if (i % 4 == 3) {
                            store.update(pending.key(), OAuthSession.consume(now, Duration.ofHours(1)));
                        }
                    }
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        } finally {
            users.shutdown();
        }
    }

    private static void time(int size, String call, RedisServer redis, Runnable read) throws IOException {
        for (int i = 0; i < 50; i++) {
            read.run();
        }
        List<Long> walls = new ArrayList<>();
        long jvmCpu = jvmCpuNanos();
        long redisCpu = redisCpuNanos(redis);
        long started = System.nanoTime();
        while (walls.size() < 20 || System.nanoTime() - started < BUDGET.toNanos() && walls.size() < 100_000) {
            long sent = System.nanoTime();
            read.run();
            walls.add(System.nanoTime() - sent);
        }
        double jvm = (jvmCpuNanos() - jvmCpu) / 1e3 / walls.size();
        double server = (redisCpuNanos(redis) - redisCpu) / 1e3 / walls.size();
        walls.sort(null);
        System.out.printf("%-10d %-14s %12.1f %14.1f %14.1f %8d%n", size, call, walls.get(walls.size() / 2) / 1e3,
                jvm, server, walls.size());
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of redis-server, in /proc's clock ticks. */
    private static long redisCpuNanos(RedisServer redis) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + redis.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
    }

    private static String memory(RedisServer redis) {
        return redis.cli("INFO", "memory").lines().filter(line -> line.startsWith("used_memory_human:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("?");
    }
}
