package dev.starlib.auth.bench;


import dev.starlib.auth.bench.Report.Target;
import dev.starlib.auth.bench.load.Browser;
import dev.starlib.auth.bench.load.ClosedLoop;
import dev.starlib.auth.bench.load.CpuMeter;
import dev.starlib.auth.bench.load.Journeys;
import dev.starlib.auth.bench.os.ClassHistogram;
import dev.starlib.auth.bench.os.CpuAffinity;
import dev.starlib.auth.bench.os.PerfCounters;
import dev.starlib.auth.bench.os.RedisServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * The measurements under load on one running service: the bare route, /authorize, full logins, refreshes and the
 * same refresh token sent by several clients at once. Each result is checked before it is reported: any failed
 * request, and any check the fake SoundCloud refused (a PKCE mismatch, a reused code, a wrong secret), is an error
 * that fails the run.
 */
final class LoadPhases {

    /** Logins/s of the memory store by concurrency, for the other stores' ratios. */
    private final Map<Integer, Double> memoryLogins = new HashMap<>();
    private final Rig rig;
    private final Report report;

    LoadPhases(Rig rig) {
        this.rig = rig;
        this.report = rig.report;
    }

    /**
     * Everything the memory-store service is measured for but /authorize alone; it keeps running afterwards (RSS
     * after load, JFR).
     */
    void memoryStore(ServiceUnderTest service) throws Exception {
        Journeys journeys = new Journeys(service.base());
        CpuMeter meter = rig.meter(service, Map.of());
        warmUp(service, journeys, meter);
        logins("memory", service, Map.of());
        refreshes(service, journeys, meter);
        contendedRefresh(service, journeys);
    }

    /**
     * The bare route and /authorize, on a service of their own: /authorize alone leaves every session it starts
     * pending for PENDING_TTL_SECONDS (600 s), half a million in this phase, which the benchmark's raised
     * SESSION_STORE_CAPACITY accepts (the default, 10,000, would refuse them) and run.sh's bounded heap cannot
     * hold. So this service runs with run.sh's settings and a heap raised to hold them ({@link #AUTHORIZE_HEAP},
     * which comes last and wins); the memory-store service's RSS after the load is then that of real logins.
     */
    void authorizeAlone() throws Exception {
        try (ServiceUnderTest service = ServiceUnderTest.start(rig, "authorize", ServiceUnderTest.Launcher.JAR,
                StartupPhase.MEMORY, List.of(AUTHORIZE_HEAP), Duration.ofMinutes(2))) {
            Journeys journeys = new Journeys(service.base());
            CpuMeter meter = rig.meter(service, Map.of());
            int users = rig.plan.routeUsers();
            warmUp(service, journeys, meter);

            report.section("Bare route GET " + Journeys.BARE_ROUTE + " (memory store), " + users + " users", "bare route");
            report.note("a service of its own, with run.sh's settings and " + AUTHORIZE_HEAP + " (see /authorize)");
            ClosedLoop.Result bare = measure("bare", users, journeys.bareRoute(), meter);
            report.figure("bare.per_second", "requests/s", bare.perSecond(), "/s", Target.NONE);
            report.figure("bare.service_cpu_us", "service CPU per request", bare.cpuMicrosPerOperation(CpuMeter.SERVICE),
                    "µs", Target.text("(original measurement: ~70 µs)"));
            split(bare, "request");

            report.section("/authorize (memory store), " + users + " users", "/authorize");
            ClassHistogram before = ClassHistogram.of(service.pid());
            ClosedLoop.Result authorize = measure("authorize", users, journeys.authorizeOnly(), meter);
            ClassHistogram after = ClassHistogram.of(service.pid());
            report.figure("authorize.per_second", "requests/s", authorize.perSecond(), "/s", Target.NONE);
            report.figure("authorize.p50_ms", "p50", authorize.p50Millis(), "ms", Target.NONE);
            report.figure("authorize.p99_ms", "p99", authorize.p99Millis(), "ms", Target.NONE);
            report.figure("authorize.ratio", "/authorize ÷ bare route", authorize.perSecond() / bare.perSecond(), "×",
                    Target.atLeast(0.9, "×"));
            report.figure("authorize.service_cpu_us", "service CPU per request",
                    authorize.cpuMicrosPerOperation(CpuMeter.SERVICE), "µs", Target.NONE);
            split(authorize, "request");
            report.figure("heap.service_pending_bytes", "service heap per pending session (" + authorize.allOperations()
                            + " via /authorize)", (double) (after.totalBytes() - before.totalBytes()) / authorize.allOperations(),
                    "bytes", Target.atMost(512, " bytes"));
            report.note("live heap after a full GC (jcmd GC.class_histogram) before and after the /authorize phase");
            if (rig.plan.splitCpus()) {
                onSplitCpus(service, journeys, meter, authorize.perSecond() / bare.perSecond());
            }
        }
    }

    /**
     * The bare route and /authorize once more, with the service on CPU 1 and the load generator (this whole JVM) and
     * the fake on CPU 0. On shared cores requests/s follows service + generator CPU per request; here each route is
     * bound by whichever side fills its CPU first, the service's alone once the generator keeps up. So the ratio is
     * printed twice: by requests/s, and as bare ÷ /authorize service CPU per request (what requests/s gives when the
     * service is the bound). Each side's CPU use tells which bound held. Other processes on the box still use both.
     */
    private void onSplitCpus(ServiceUnderTest service, Journeys journeys, CpuMeter meter, double sharedRatio)
            throws Exception {
        int users = rig.plan.routeUsers();
        report.section("Bare route and /authorize again, the service on CPU 1, the generator and the fake on CPU 0, "
                + users + " users", "split CPUs");
        Optional<String> absent = CpuAffinity.whyUnavailable();
        if (absent.isPresent()) {
            for (String route : List.of("bare", "authorize")) {
                for (String figure : List.of("per_second", "service_cpu_us", "generator_cpu_us", "others_cpu_us",
                        "service_busy_percent", "generator_busy_percent")) {
                    report.unavailable("split_cpus." + route + "." + figure, route + ": " + figure, absent.get());
                }
            }
            report.unavailable("split_cpus.authorize.ratio", "/authorize ÷ bare route (requests/s)", absent.get());
            report.unavailable("split_cpus.authorize.cpu_ratio", "bare ÷ /authorize service CPU per request",
                    absent.get());
            return;
        }
        ClosedLoop.Result bare;
        ClosedLoop.Result authorize;
        try (CpuAffinity pinned = CpuAffinity.pin(Map.of(service.pid(), "1", ProcessHandle.current().pid(), "0",
                rig.fake.pid(), "0"))) {
            bare = measure("bare-split-cpus", users, journeys.bareRoute(), meter);
            authorize = measure("authorize-split-cpus", users, journeys.authorizeOnly(), meter);
        }
        for (ClosedLoop.Result result : List.of(bare, authorize)) {
            String key = "split_cpus." + (result == bare ? "bare" : "authorize");
            String route = result == bare ? "bare route" : "/authorize";
            report.figure(key + ".per_second", route + ": requests/s", result.perSecond(), "/s", Target.NONE);
            report.figure(key + ".service_cpu_us", route + ": service CPU per request",
                    result.cpuMicrosPerOperation(CpuMeter.SERVICE), "µs", Target.NONE);
            report.figure(key + ".generator_cpu_us", route + ": generator CPU per request",
                    result.cpuMicrosPerOperation(CpuMeter.GENERATOR), "µs", Target.NONE);
            report.figure(key + ".others_cpu_us", route + ": other processes' CPU per request",
                    result.cpu().othersNanos() / 1000.0 / result.operations(), "µs", Target.NONE);
            report.figure(key + ".service_busy_percent", route + ": service's use of CPU 1",
                    busyPercent(result, CpuMeter.SERVICE), "%", Target.NONE);
            report.figure(key + ".generator_busy_percent", route + ": generator's use of CPU 0",
                    busyPercent(result, CpuMeter.GENERATOR), "%", Target.NONE);
        }
        report.figure("split_cpus.authorize.ratio", "/authorize ÷ bare route (requests/s)",
                authorize.perSecond() / bare.perSecond(), "×", Target.atLeast(0.9, "×"));
        report.figure("split_cpus.authorize.cpu_ratio", "bare ÷ /authorize service CPU per request",
                bare.cpuMicrosPerOperation(CpuMeter.SERVICE) / authorize.cpuMicrosPerOperation(CpuMeter.SERVICE), "×",
                Target.text("(the ratio when the service's CPU is the bound)"));
        report.note("the same two routes on shared cores, same run: " + Report.number(sharedRatio) + "×");
    }

    /** The share of one CPU a process used over the measured window. */
    private static double busyPercent(ClosedLoop.Result result, String process) {
        return result.cpuMicrosPerOperation(process) * result.perSecond() / 10_000.0;
    }

    /** Scripts Redis ran (its {@code INFO commandstats}), a counter of the Redis phase's meter. */
    private static final String REDIS_SCRIPTS = "redis.scripts";

    /** The JIT warm-up: slices of logins, the compilers' share of a core that counts as settled, the cap. */
    private static final Duration JIT_SLICE = Duration.ofSeconds(3);
    private static final double JIT_SETTLED = 0.05;
    private static final Duration JIT_AT_MOST = Duration.ofSeconds(90);

    /** Heap for the half million sessions /authorize alone leaves pending (about 840 bytes each today). */
    static final String AUTHORIZE_HEAP = "-Xmx1536m";

    /**
     * Logins until the JIT has compiled the common request path: the phases after it measure the service's steady
     * state, not its compilers. First twice the warm-up; then, outside {@code --smoke}, more logins in slices of
     * {@link #JIT_SLICE} until the service's compilers spent under {@link #JIT_SETTLED} of one core in a slice
     * (its {@code java.ci.totalTime}, read with jcmd), at most {@link #JIT_AT_MOST} in all. On a 2-core box the
     * Redis store's service was still compiling 30–50 s after its start (C1 and C2 together above one core), so a
     * fixed warm-up charged the compilers' CPU to its logins.
     */
    private void warmUp(ServiceUnderTest service, Journeys journeys, CpuMeter meter) throws Exception {
        long started = System.nanoTime();
        ClosedLoop.Result warm = ClosedLoop.run("jit-warm-up", rig.plan.routeUsers(), journeys.logins(), Duration.ZERO,
                rig.plan.warmup().multipliedBy(2), meter);
        if (warm.errors() > 0) {
            report.error("warm-up logins: " + warm.errors() + " failed: " + warm.errorsByReason());
        }
        if (rig.plan.smoke()) {
            return;
        }
        double share = Double.NaN;
        while (Duration.ofNanos(System.nanoTime() - started).compareTo(JIT_AT_MOST) < 0) {
            long compiledBefore = compileNanos(service);
            long sliceStart = System.nanoTime();
            ClosedLoop.Result more = ClosedLoop.run("jit-warm-up", rig.plan.routeUsers(), journeys.logins(),
                    Duration.ZERO, JIT_SLICE, meter);
            if (more.errors() > 0) {
                report.error("warm-up logins: " + more.errors() + " failed: " + more.errorsByReason());
            }
            share = (compileNanos(service) - compiledBefore) / (double) (System.nanoTime() - sliceStart);
            if (share < JIT_SETTLED) {
                break;
            }
        }
        report.note(String.format(java.util.Locale.ROOT, "warm-up: %.0f s of logins at %d users until the JIT "
                        + "settled (compilers at %.0f %% of a core in the last %d s; at most %d s); %.1f s compiled so far",
                (System.nanoTime() - started) / 1e9, rig.plan.routeUsers(), share * 100, JIT_SLICE.toSeconds(),
                JIT_AT_MOST.toSeconds(), compileNanos(service) / 1e9));
    }

    /** The service's compilers' time so far (HotSpot's {@code java.ci.totalTime}). */
    private static long compileNanos(ServiceUnderTest service) {
        return PerfCounters.of(service.pid()).compileNanos();
    }

    /**
     * A phase run between two reads of the service's collectors, and what they paused it for: the share of the
     * phase's wall time (its warm-up included; the reads' {@code jcmd}s stay outside the window that is measured) and
     * the full collections. A heap too small for what the load keeps shows here first, as a p99 of full
     * collections.
     */
    private static Collected withCollections(ServiceUnderTest service, Callable<ClosedLoop.Result> phase)
            throws Exception {
        PerfCounters before = PerfCounters.of(service.pid());
        long started = System.nanoTime();
        ClosedLoop.Result result = phase.call();
        long elapsed = System.nanoTime() - started;
        PerfCounters after = PerfCounters.of(service.pid());
        return new Collected(result, 100.0 * (after.gcPauseNanos() - before.gcPauseNanos()) / elapsed,
                after.fullCollections() - before.fullCollections());
    }

    private record Collected(ClosedLoop.Result result, double pausedPercent, long fullCollections) {
    }

    private void reportCollections(String key, Collected collected) {
        report.figure(key + ".gc_pause_percent", "service paused by its collector (share of the phase)",
                collected.pausedPercent(), "%", Target.NONE);
        report.figure(key + ".full_gcs", "full collections during the phase", collected.fullCollections(), "",
                Target.NONE);
    }

    /** Logins on the file store, fresh and empty, its fsyncs on the same disk as everything else. */
    void fileStore() throws Exception {
        Map<String, String> store = Map.of("SESSION_STORE", "file",
                "SESSION_STORE_PATH", rig.output("file-store").toString(),
                "SESSION_STORE_KEY", Rig.storeKey());
        try (ServiceUnderTest service = ServiceUnderTest.start(rig, "file", ServiceUnderTest.Launcher.JAR, store,
                List.of(), Duration.ofMinutes(2))) {
            rig.emptyFileStartMillis = service.startMillis();
            warmUp(service, new Journeys(service.base()), rig.meter(service, Map.of()));
            logins("file", service, Map.of());
        }
    }

    /** Logins on the Redis store against a real redis-server, when this build has that store. */
    void redisStore() throws Exception {
        Optional<String> absent = RedisStoreProbe.whyAbsent(rig);
        if (absent.isPresent()) {
            report.section("Full logins, redis store", "logins, redis");
            for (int users : rig.plan.loginUsers()) {
                String key = "login.redis." + users;
                report.unavailable(key + ".per_second", users + " users: logins/s", absent.get());
                report.unavailable(key + ".ratio", users + " users: redis ÷ memory logins/s", absent.get());
                report.unavailable(key + ".service_cpu_us", users + " users: service CPU per login", absent.get());
                report.unavailable(key + ".gc_pause_percent", users + " users: service paused by its collector",
                        absent.get());
                report.unavailable(key + ".full_gcs", users + " users: full collections", absent.get());
            }
            return;
        }
        try (RedisServer redis = RedisServer.start(rig.output("redis"))) {
            report.note(redis.version() + ", " + RedisServer.SETTINGS);
            Map<String, String> store = Map.of("SESSION_STORE", "redis", "REDIS_URL", redis.url(),
                    "SESSION_STORE_KEY", Rig.storeKey());
            try (ServiceUnderTest service = ServiceUnderTest.start(rig, "redis", ServiceUnderTest.Launcher.JAR, store,
                    List.of(), Duration.ofMinutes(2))) {
                warmUp(service, new Journeys(service.base()), rig.meter(service, Map.of()));
                logins("redis", service, Map.of(CpuMeter.REDIS, redis.pid()), Map.of(REDIS_SCRIPTS, redis::scriptsRun));
                if (rig.plan.jfr()) {
                    JfrProfile.run(rig, service, "redis");
                }
            }
        }
    }

    /**
     * Logins with SoundCloud over TLS, as in production (the fake's second listener, a certificate made for this
     * run that only the benchmark's processes trust), once with the connection pool at its default settings and
     * once with a fresh connection per call ({@code SOUNDCLOUD_KEEP_ALIVE_SECONDS=0}, what decision 0003 had
     * before): one user alone shows a login's latency, 16 users its cost under load.
     */
    void soundCloudOverTls() throws Exception {
        Map<String, Map<Integer, ClosedLoop.Result>> byMode = new java.util.LinkedHashMap<>();
        Map<String, Map<String, String>> modes = new java.util.LinkedHashMap<>();
        modes.put("pooled", Map.of());
        modes.put("fresh", Map.of("SOUNDCLOUD_KEEP_ALIVE_SECONDS", "0"));
        javax.net.ssl.SSLContext trusting = rig.fake.tls().trustingContext();
        for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
            Map<String, String> env = new HashMap<>(StartupPhase.MEMORY);
            env.put("SOUNDCLOUD_AUTH_BASE_URL", rig.fake.tlsBaseUrl());
            env.put("SOUNDCLOUD_API_BASE_URL", rig.fake.tlsBaseUrl());
            env.putAll(mode.getValue());
            try (ServiceUnderTest service = ServiceUnderTest.start(rig, "tls-" + mode.getKey(),
                    ServiceUnderTest.Launcher.JAR, env, rig.fake.tls().trustingJvmOptions(), Duration.ofMinutes(2))) {
                Journeys journeys = new Journeys(service.base(), () -> new Browser(trusting));
                CpuMeter meter = rig.meter(service, Map.of());
                ClosedLoop.Result warm = ClosedLoop.run("tls-warm-up", 16, journeys.logins(), Duration.ZERO,
                        rig.plan.warmup().multipliedBy(2), meter);
                if (warm.errors() > 0) {
                    report.error("TLS warm-up logins (" + mode.getKey() + "): " + warm.errors() + " failed: "
                            + warm.errorsByReason());
                }
                Map<Integer, ClosedLoop.Result> results = new java.util.TreeMap<>();
                for (int users : List.of(1, 16)) {
                    report.section("Full logins, SoundCloud over TLS, " + (mode.getKey().equals("pooled")
                                    ? "keep-alive pool (default settings)" : "a fresh connection per call")
                                    + ", memory store, " + users + (users == 1 ? " user" : " users"),
                            "TLS, " + mode.getKey() + ", " + users + (users == 1 ? " user" : " users"));
                    ClosedLoop.Result result = measure("tls-" + mode.getKey(), users, journeys.logins(), meter);
                    String key = "tls." + mode.getKey() + "." + users;
                    report.figure(key + ".per_second", "logins/s", result.perSecond(), "/s", Target.NONE);
                    report.figure(key + ".p50_ms", "p50", result.p50Millis(), "ms", Target.NONE);
                    report.figure(key + ".p99_ms", "p99", result.p99Millis(), "ms", Target.NONE);
                    report.figure(key + ".service_cpu_us", "service CPU per login",
                            result.cpuMicrosPerOperation(CpuMeter.SERVICE), "µs", Target.NONE);
                    report.figure(key + ".fake_cpu_us", "fake SoundCloud CPU per login (its TLS side)",
                            result.cpuMicrosPerOperation(CpuMeter.FAKE), "µs", Target.NONE);
                    report.figure(key + ".soundcloud_connections", "new connections to SoundCloud per login",
                            (double) result.cpu().counter("connections") / result.operations(), "", Target.NONE);
                    results.put(users, result);
                }
                byMode.put(mode.getKey(), results);
            }
        }
        report.section("SoundCloud over TLS: what the pool saves per login", "TLS, pooled vs fresh");
        for (int users : List.of(1, 16)) {
            ClosedLoop.Result pooled = byMode.get("pooled").get(users);
            ClosedLoop.Result fresh = byMode.get("fresh").get(users);
            String key = "tls.saved." + users;
            String who = users + (users == 1 ? " user" : " users");
            report.figure(key + ".p50_ms", who + ": p50 fresh − pooled", fresh.p50Millis() - pooled.p50Millis(), "ms",
                    Target.NONE);
            report.figure(key + ".service_cpu_us", who + ": service CPU fresh − pooled",
                    fresh.cpuMicrosPerOperation(CpuMeter.SERVICE) - pooled.cpuMicrosPerOperation(CpuMeter.SERVICE),
                    "µs", Target.NONE);
        }
        report.note("on loopback a round trip costs ~0.05 ms; to SoundCloud each fresh connection also costs a TCP and a "
                + "TLS 1.3 handshake, two round trips, which these figures do not contain");
    }

    /** Full logins at each concurrency; the memory store's rates become the others' reference. */
    void logins(String store, ServiceUnderTest service, Map<String, Long> helpers) throws Exception {
        logins(store, service, helpers, Map.of());
    }

    /** @param counters read at each snapshot; {@link #REDIS_SCRIPTS}, when there, is printed per login */
    private void logins(String store, ServiceUnderTest service, Map<String, Long> helpers,
                        Map<String, LongSupplier> counters) throws Exception {
        Journeys journeys = new Journeys(service.base());
        CpuMeter meter = rig.meter(service, helpers, counters);
        for (int users : rig.plan.loginUsers()) {
            report.section("Full logins, " + store + " store, " + users + " users (authorize → SoundCloud → "
                    + "/redirect → /result)", "logins, " + store + ", " + users + " users");
            String key = "login." + store + "." + users;
            Collected collected = withCollections(service,
                    () -> measure("logins-" + store, users, journeys.logins(), meter));
            ClosedLoop.Result logins = collected.result();
            Target rate = store.equals("memory") && users == 64 ? Target.atLeast(2_000, "/s")
                    : store.equals("memory") && users == 16 ? Target.text("(original Starlib: 140–225/s)") : Target.NONE;
            report.figure(key + ".per_second", "logins/s", logins.perSecond(), "/s", rate);
            if (store.equals("memory")) {
                memoryLogins.put(users, logins.perSecond());
            } else {
                Double memory = memoryLogins.get(users);
                report.figure(key + ".ratio", store + " ÷ memory logins/s",
                        memory == null ? Double.NaN : logins.perSecond() / memory, "×",
                        Target.atLeast(store.equals("file") ? 0.7 : 0.5, "×"));
            }
            report.figure(key + ".p50_ms", "p50", logins.p50Millis(), "ms", Target.NONE);
            report.figure(key + ".p99_ms", "p99", logins.p99Millis(), "ms", Target.NONE);
            report.figure(key + ".service_cpu_us", "service CPU per login", logins.cpuMicrosPerOperation(CpuMeter.SERVICE),
                    "µs", store.equals("memory") ? Target.atMost(590, " µs") : Target.text("(original Starlib: ~5,900 µs)"));
            split(logins, "login");
            report.figure(key + ".soundcloud_connections", "new connections to SoundCloud per login",
                    (double) logins.cpu().counter("connections") / logins.operations(), "", Target.NONE);
            if (counters.containsKey(REDIS_SCRIPTS)) {
                report.figure(key + ".redis_scripts", "Redis scripts per login (round trips that change something)",
                        (double) logins.cpu().counter(REDIS_SCRIPTS) / logins.operations(), "", Target.NONE);
            }
            reportCollections(key, collected);
        }
    }

    private void refreshes(ServiceUnderTest service, Journeys journeys, CpuMeter meter) throws Exception {
        int users = rig.plan.refreshUsers();
        report.section("Refreshes (memory store), " + users + " users, each rotating its own refresh token", "refresh");
        Collected collected = withCollections(service, () -> measure("refresh", users, journeys.refreshes(), meter));
        ClosedLoop.Result refreshes = collected.result();
        report.figure("refresh.per_second", "refreshes/s", refreshes.perSecond(), "/s", Target.NONE);
        report.figure("refresh.p50_ms", "p50", refreshes.p50Millis(), "ms", Target.NONE);
        report.figure("refresh.p99_ms", "p99", refreshes.p99Millis(), "ms", Target.NONE);
        report.figure("refresh.service_cpu_us", "service CPU per refresh",
                refreshes.cpuMicrosPerOperation(CpuMeter.SERVICE), "µs", Target.NONE);
        split(refreshes, "refresh");
        reportCollections("refresh", collected);
    }

    /**
     * The frontend's page load: several calls refresh the same token at once. Without single-flight (issue 9)
     * one wins and the rest are told to sign in again; with it, one SoundCloud call answers them all. Nothing here
     * needs to change when single-flight lands: the figures do.
     */
    private void contendedRefresh(ServiceUnderTest service, Journeys journeys) throws Exception {
        int clients = rig.plan.contendedClients();
        int rounds = rig.plan.contendedRounds();
        report.section("One refresh token sent by " + clients + " clients at once (" + rounds + " rounds)",
                "one token, " + clients + " clients");
        List<Browser> browsers = new ArrayList<>();
        long calls = 0;
        long ok = 0;
        long signInAgain = 0;
        long other = 0;
        try (Browser loginBrowser = new Browser()) {
            for (int i = 0; i < clients; i++) {
                browsers.add(new Browser());
            }
            for (int round = 0; round < rounds; round++) {
                String refreshToken = journeys.login(loginBrowser);
                Map<String, Long> before = rig.fake.stats();
                CountDownLatch start = new CountDownLatch(1);
                int[] statuses = new int[clients];
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int client = i;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            start.await();
                            statuses[client] = journeys.refreshOnce(browsers.get(client), refreshToken).status();
                        } catch (Exception e) {
                            statuses[client] = -1;
                        }
                    }));
                }
                start.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                Map<String, Long> moved = FakeProcess.delta(before, rig.fake.stats());
                calls += moved.get("refreshes") + moved.get("rejected_refresh");
                for (int status : statuses) {
                    if (status == 200) {
                        ok++;
                    } else if (status == 401) {
                        signInAgain++;
                    } else {
                        other++;
                    }
                }
            }
        } finally {
            browsers.forEach(Browser::close);
        }
        report.figure("refresh.contended.soundcloud_calls", "SoundCloud token calls per round", (double) calls / rounds,
                "", Target.text("(single-flight, issue 9: 1)"));
        report.figure("refresh.contended.ok", "answers 200 per round", (double) ok / rounds, "",
                Target.text("(single-flight, issue 9: all " + clients + ")"));
        report.figure("refresh.contended.sign_in_again", "answers 401 invalid_grant per round",
                (double) signInAgain / rounds, "", Target.text("(single-flight, issue 9: 0)"));
        if (other > 0) {
            report.error(other + " of the contended refreshes answered neither 200 nor 401");
        }
    }

    /** Where the rest of the machine's CPU went during the window, per operation. */
    private void split(ClosedLoop.Result result, String operation) {
        CpuMeter.Usage cpu = result.cpu();
        String key = "split." + result.name() + "." + result.users();
        for (String process : cpu.cpuNanos().keySet()) {
            if (!process.equals(CpuMeter.SERVICE)) {
                report.figure(key + "." + process + "_cpu_us", "  " + process + " CPU per " + operation,
                        result.cpuMicrosPerOperation(process), "µs", Target.NONE);
            }
        }
        report.figure(key + ".others_cpu_us", "  other processes' CPU per " + operation,
                cpu.othersNanos() / 1000.0 / result.operations(), "µs", Target.NONE);
        report.figure(key + ".idle_percent", "  cores idle", 100 * cpu.idleShare(), "%", Target.NONE);
    }

    /**
     * Runs one closed-loop phase and fails the run on any error in it, warm-up included: a failed request, or a
     * check the fake SoundCloud refused.
     */
    private ClosedLoop.Result measure(String name, int users, ClosedLoop.Users journey, CpuMeter meter)
            throws Exception {
        Map<String, Long> before = rig.fake.stats();
        ClosedLoop.Result result = ClosedLoop.run(name, users, journey, rig.plan.warmup(), rig.plan.measure(), meter);
        Map<String, Long> moved = FakeProcess.delta(before, rig.fake.stats());
        if (result.errors() > 0) {
            report.error(name + ": " + result.errors() + " failed operations: " + result.errorsByReason());
        }
        if (result.operations() == 0) {
            report.error(name + ": nothing completed in the measured window");
        }
        for (String rejection : FakeProcess.REJECTIONS) {
            if (moved.getOrDefault(rejection, 0L) > 0) {
                report.error(name + ": the fake SoundCloud counted " + moved.get(rejection) + " × " + rejection);
            }
        }
        return result;
    }
}
