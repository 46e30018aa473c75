package dev.starlib.auth.bench;

import dev.starlib.auth.bench.Report.Target;
import dev.starlib.auth.bench.os.ClassHistogram;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.bench.os.Proc;
import dev.starlib.auth.bench.os.RedisServer;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.store.LargeLog;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.StoreKey;
import dev.starlib.auth.store.redis.RedisLocation;
import dev.starlib.auth.store.redis.RedisSessionStore;
import dev.starlib.auth.store.redis.RedisSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The costs that must not grow with the number of sessions, at each of the plan's sizes (10^3, 10^5, 10^6): the
 * file store's start (the packaged service on a log of that many pending logins, spawn to first 200; a rolling
 * deploy waits for it), and one {@code /admin} render, one metrics scrape (the session gauges) and one readiness
 * probe, in the service's CPU per request (from /proc) and wall time. Each size is a fresh service whose log is
 * written by the store's own fixture ({@link LargeLog}) in seconds; the memory store counts and lists sessions
 * through the same table. Then the same three requests on the Redis store, at the same sizes: a fresh
 * {@code redis-server} each time, filled through the store's own {@code create} from this JVM ({@link #fill}),
 * with Redis's CPU per request beside the service's (the counting moved into Redis).
 */
final class GrowthPhase {

    /** Per request: the service's CPU, Redis's (none for the file store), the median wall time. */
    private record Cost(double cpuMicros, double redisCpuMicros, double wallMillis, int requests) {
    }

    private record Endpoint(String key, String label, String path, boolean admin) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("admin", "/admin render", "/admin", true),
            new Endpoint("gauges", "metrics scrape (session gauges)", "/observe/metrics", false),
            new Endpoint("ready", "readiness probe", "/observe/health/ready", false));

    /**
     * The sessions first; what else the log held (remembered rotations, the app token) may follow before "from"; the
     * process's CPU while it opened after the time.
     */
    private static final Pattern OPENED = Pattern.compile("session store .*: (\\d+) sessions(?:,| and)? [^:]*?from \\d+"
            + " records .* in (\\d+) ms(?: \\((\\d+) ms of the process's CPU\\))?");

    private final Rig rig;
    private final Report report;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Cost> smallest = new HashMap<>();
    private final Map<String, Cost> smallestOnRedis = new HashMap<>();

    GrowthPhase(Rig rig) {
        this.rig = rig;
        this.report = rig.report;
    }

    void run() throws Exception {
        List<Integer> sizes = rig.plan.growthSizes();
        int first = sizes.getFirst();
        int last = sizes.getLast();
        long previousHeap = -1;
        int previousSize = 0;
        for (int size : sizes) {
            report.section("Cost at " + Report.number(size) + " sessions (file store, pending logins)",
                    Report.number(size) + " sessions");
            Path directory = rig.output("growth-" + size);
            String key = Rig.storeKey();
            long writing = System.nanoTime();
            LargeLog.write(directory, key, size, LargeLog.Shape.PENDING, Instant.now(), Duration.ofHours(1));
            report.note("log of " + Report.number(Files.size(directory.resolve("sessions.log")) / 1048576.0)
                    + " MB written in " + Report.number((System.nanoTime() - writing) / 1e9) + " s");
            try (ServiceUnderTest service = onFileStore("growth-" + size, directory, key, size)) {
                String at = "growth." + size;
                // The empty file store's start is measured by the file phase; without it (--phases=growth) there
                // is no reference to print.
                report.figure(at + ".start_ms", "start to first 200 (JVM start included)", service.startMillis(), "ms",
                        Double.isNaN(rig.emptyFileStartMillis) ? Target.NONE
                                : Target.text("(empty file store: " + Report.number(rig.emptyFileStartMillis) + " ms)"));
                report.figure(at + ".open_ms", "opening the store (its own log line)", openMillis(service, size, 2), "ms",
                        size == last ? Target.atMost(2_000, " ms") : Target.NONE);
                report.figure(at + ".open_cpu_ms", "opening the store: the process's CPU meanwhile",
                        openMillis(service, size, 3), "ms", Target.NONE);
                for (Endpoint endpoint : ENDPOINTS) {
                    Cost cost = measure(service, endpoint, -1);
                    if (size == first) {
                        smallest.put(endpoint.key(), cost);
                    }
                    report.figure(at + "." + endpoint.key() + "_cpu_us", endpoint.label() + ": service CPU",
                            cost.cpuMicros(), "µs", Target.NONE);
                    report.figure(at + "." + endpoint.key() + "_ms", endpoint.label() + ": wall, median",
                            cost.wallMillis(), "ms", Target.NONE);
                    double reference = smallest.get(endpoint.key()).cpuMicros();
                    String label = endpoint.label() + ": CPU ÷ at " + Report.number(first);
                    if (reference > 0) {
                        report.figure(at + "." + endpoint.key() + "_growth", label, cost.cpuMicros() / reference, "×",
                                size == first ? Target.NONE : Target.atMost(1.5, "× (flat)"));
                    } else {
                        report.unavailable(at + "." + endpoint.key() + "_growth", label,
                                "too little CPU at " + Report.number(first) + " to resolve in /proc's 10 ms ticks");
                    }
                }
                long heap = ClassHistogram.of(service.pid()).totalBytes();
                report.figure(at + ".live_heap_mb", "live heap of the service", heap / 1048576.0, "MB", Target.NONE);
                if (previousHeap >= 0) {
                    report.figure(at + ".heap_per_session_bytes", "heap per session (growth from "
                                    + Report.number(previousSize) + ")",
                            (double) (heap - previousHeap) / (size - previousSize), "bytes", Target.NONE);
                }
                previousHeap = heap;
                previousSize = size;
            } finally {
                deleteTree(directory);
            }
            if (size == last) {
                openRewritten(size);
            }
        }
    }

    /**
     * The open of the same sessions as the store's rewrite leaves them: packed, some 80 to a sealed record
     * ({@code LogPack}). A running store rewrites its log only once most of it is history, so a log of 10^6 fresh
     * logins is the one above; this is the log after a rewrite.
     */
    private void openRewritten(int size) throws Exception {
        Path directory = rig.output("growth-" + size + "-packed");
        String key = Rig.storeKey();
        try {
            LargeLog.write(directory, key, size, LargeLog.Shape.PENDING, Instant.now(), Duration.ofHours(1), 0);
            report.note("the same sessions packed, as a rewrite leaves them: "
                    + Report.number(Files.size(directory.resolve("sessions.log")) / 1048576.0) + " MB");
            try (ServiceUnderTest service = onFileStore("growth-" + size + "-packed", directory, key, size)) {
                String at = "growth." + size;
                report.figure(at + ".open_packed_ms", "opening the same sessions, packed by a rewrite",
                        openMillis(service, size, 2), "ms", Target.NONE);
                report.figure(at + ".open_packed_cpu_ms", "the same: the process's CPU meanwhile",
                        openMillis(service, size, 3), "ms", Target.NONE);
            }
        } finally {
            deleteTree(directory);
        }
    }

    /** The packaged service on the file store in {@code directory}, with room and heap for {@code size} sessions. */
    private ServiceUnderTest onFileStore(String name, Path directory, String key, int size) throws Exception {
        Map<String, String> store = Map.of("SESSION_STORE", "file", "SESSION_STORE_PATH", directory.toString(),
                "SESSION_STORE_KEY", key, "SESSION_STORE_CAPACITY", Integer.toString(2 * size + 10_000));
        long heapMegabytes = Math.max(512, 512 + size * 4L / 1024);
        return ServiceUnderTest.start(rig, name, ServiceUnderTest.Launcher.JAR, store,
                List.of("-Xmx" + heapMegabytes + "m"), Duration.ofMinutes(10));
    }

    /** The three requests at each size on the Redis store (the {@code redis-growth} phase). */
    void runOnRedis() throws Exception {
        List<Integer> sizes = rig.plan.growthSizes();
        int first = sizes.getFirst();
        Optional<String> absent = RedisStoreProbe.whyAbsent(rig);
        for (int size : sizes) {
            report.section("Cost at " + Report.number(size) + " sessions (redis store, pending logins)",
                    Report.number(size) + " sessions, redis");
            String at = "growth.redis." + size;
            if (absent.isPresent()) {
                for (Endpoint endpoint : ENDPOINTS) {
                    report.unavailable(at + "." + endpoint.key() + "_growth", endpoint.label() + ": CPU ÷ at "
                            + Report.number(first), absent.get());
                }
                continue;
            }
            Path directory = rig.output("growth-redis-" + size);
            try (RedisServer redis = RedisServer.start(directory)) {
                String key = Rig.storeKey();
                String prefix = "growth:";
                long filling = System.nanoTime();
                fill(redis, prefix, key, size);
                report.note(redis.version() + ", " + RedisServer.SETTINGS + "; filled with "
                        + Report.number(size) + " pending logins through the store's create in "
                        + Report.number((System.nanoTime() - filling) / 1e9) + " s");
                Map<String, String> store = Map.of("SESSION_STORE", "redis", "REDIS_URL", redis.url(),
                        "REDIS_KEY_PREFIX", prefix, "SESSION_STORE_KEY", key,
                        "SESSION_STORE_CAPACITY", Integer.toString(2 * size + 10_000));
                try (ServiceUnderTest service = ServiceUnderTest.start(rig, "growth-redis-" + size,
                        ServiceUnderTest.Launcher.JAR, store, List.of(), Duration.ofMinutes(2))) {
                    for (Endpoint endpoint : ENDPOINTS) {
                        Cost cost = measure(service, endpoint, redis.pid());
                        if (size == first) {
                            smallestOnRedis.put(endpoint.key(), cost);
                        }
                        report.figure(at + "." + endpoint.key() + "_cpu_us", endpoint.label() + ": service CPU",
                                cost.cpuMicros(), "µs", Target.NONE);
                        report.figure(at + "." + endpoint.key() + "_redis_cpu_us", endpoint.label() + ": Redis CPU",
                                cost.redisCpuMicros(), "µs", Target.NONE);
                        report.figure(at + "." + endpoint.key() + "_ms", endpoint.label() + ": wall, median",
                                cost.wallMillis(), "ms", Target.NONE);
                        Cost reference = smallestOnRedis.get(endpoint.key());
                        double both = reference.cpuMicros() + reference.redisCpuMicros();
                        String label = endpoint.label() + ": service + Redis CPU ÷ at " + Report.number(first);
                        if (both > 0) {
                            report.figure(at + "." + endpoint.key() + "_growth", label,
                                    (cost.cpuMicros() + cost.redisCpuMicros()) / both, "×",
                                    size == first ? Target.NONE : Target.atMost(1.5, "× (flat)"));
                        } else {
                            report.unavailable(at + "." + endpoint.key() + "_growth", label,
                                    "too little CPU at " + Report.number(first) + " to resolve in /proc's 10 ms ticks");
                        }
                    }
                }
            } finally {
                deleteTree(directory);
            }
        }
    }

    /**
     * {@code size} pending logins (an hour to live) written through the Redis store's own {@code create}, as the
     * service would write them, 32 at once over the store's one connection.
     */
    private static void fill(RedisServer redis, String prefix, String key, int size) throws Exception {
        RedisSettings settings = new RedisSettings(RedisLocation.parse(redis.url()), prefix, Duration.ofSeconds(10), 0);
        try (RedisSessionStore store = RedisSessionStore.open(settings, StoreKey.fromBase64(key), 2 * size + 10_000,
                Clock.systemUTC(), AuthEvents.NONE)) {
            ExecutorService writers = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> chunks = new ArrayList<>();
                for (int from = 0; from < size; from += 1_000) {
                    int count = Math.min(1_000, size - from);
                    chunks.add(writers.submit(() -> {
                        for (int i = 0; i < count; i++) {
                            Instant now = Instant.now();
                            store.create(new OAuthSession.Pending(Logins.pending(now, Duration.ofHours(1))));
                        }
                        return null;
                    }));
                }
                for (Future<?> chunk : chunks) {
                    chunk.get();
                }
            } finally {
                writers.shutdown();
            }
            if (store.counts(Instant.now()).pending() != size) {
                throw new IllegalStateException("the Redis store counts " + store.counts(Instant.now())
                        + " after " + size + " logins");
            }
        }
    }

    /**
     * The store times its own open and logs it ("session store DIR: N sessions and M remembered rotations from R
     * records (B bytes) in T ms"):
     * the part of the start that grows with the sessions, without the JVM's start and its noise.
     */
    private static double openMillis(ServiceUnderTest service, int size, int group) {
        Matcher opened = OPENED.matcher(service.child().output());
        if (!opened.find() || opened.group(group) == null) {
            return Double.NaN;
        }
        if (Long.parseLong(opened.group(1)) != size) {
            throw new IllegalStateException("the store opened " + opened.group(1) + " sessions, not " + size);
        }
        return Double.parseDouble(opened.group(group));
    }

    /**
     * Requests one after another for 3 s, or until the service's CPU for them reaches 1 s: well above /proc's 10 ms
     * resolution even for a request that costs tens of milliseconds.
     */
    private Cost measure(ServiceUnderTest service, Endpoint endpoint, long redisPid) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.adminBase() + endpoint.path()))
                .timeout(Duration.ofMinutes(2)).GET();
        if (endpoint.admin()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + rig.adminPassword).getBytes(StandardCharsets.UTF_8)));
        }
        HttpRequest built = request.build();
        // Warm: for 2 s (at most 20 requests), or once when one request already takes seconds (a million sessions
        // on /admin with a scan). A fresh JVM compiles the render during its first requests, on this CPU.
        long warming = System.nanoTime();
        long warmNanos = rig.plan.smoke() ? 300_000_000L : 2_000_000_000L;
        int warmed = 0;
        while (warmed++ < 20 && System.nanoTime() - warming < warmNanos) {
            send(built, endpoint);
        }
        long budgetNanos = rig.plan.smoke() ? 300_000_000L : 3_000_000_000L;
        long cpuStart = Proc.cpuNanos(service.pid());
        long redisStart = redisPid < 0 ? 0 : Proc.cpuNanos(redisPid);
        long started = System.nanoTime();
        List<Double> walls = new ArrayList<>();
        while (walls.size() < 3 || walls.size() < 5_000 && System.nanoTime() - started < budgetNanos
                && Proc.cpuNanos(service.pid()) - cpuStart < 1_000_000_000L) {
            long sent = System.nanoTime();
            send(built, endpoint);
            walls.add((System.nanoTime() - sent) / 1e6);
        }
        long cpu = Proc.cpuNanos(service.pid()) - cpuStart;
        long redisCpu = redisPid < 0 ? 0 : Proc.cpuNanos(redisPid) - redisStart;
        walls.sort(Comparator.naturalOrder());
        return new Cost(cpu / 1000.0 / walls.size(), redisCpu / 1000.0 / walls.size(), walls.get(walls.size() / 2),
                walls.size());
    }

    private void send(HttpRequest request, Endpoint endpoint) throws Exception {
        HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(endpoint.path() + " answered " + answer.statusCode());
        }
    }

    private static void deleteTree(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
