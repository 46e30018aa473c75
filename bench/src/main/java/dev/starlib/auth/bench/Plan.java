package dev.starlib.auth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How big and how long each part of a run is. The full run is what {@code ./bench.sh} does; {@code --smoke} is
 * the same run at tiny sizes, seconds long, that the build uses to prove every figure still gets printed.
 *
 * @param root            the repository (where run.sh and scripts/ are)
 * @param serviceJar      the packaged service, {@code bootstrap/target/starlib-auth.jar}
 * @param benchJar        this module's jar, whose manifest class path also starts the fake and the heap probe
 * @param output          where logs, JFR recordings and the results go
 * @param splitCpus       also measure the bare route and /authorize with the service and the generator on CPUs of
 *                        their own
 */
record Plan(boolean smoke, boolean jfr, boolean runShStart, Path root, Path serviceJar, Path benchJar, Path output,
            Duration warmup, Duration measure, int routeUsers, List<Integer> loginUsers, int refreshUsers,
            int contendedClients, int contendedRounds, int heapSessions, List<Integer> growthSizes, int jarStarts,
            Duration idleBeforeRss, Set<String> phases, boolean splitCpus) {

    /** Every part of a run, in the order it runs; {@code --phases} picks some. */
    static final List<String> PHASES = List.of("memory", "tls", "file", "redis", "heap", "growth", "redis-growth");

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    static Plan parse(String[] args) {
        boolean smoke = has(args, "--smoke");
        Path root = Path.of(value(args, "--root", ".")).toAbsolutePath().normalize();
        Path serviceJar = Path.of(value(args, "--jar", root.resolve("bootstrap/target/starlib-auth.jar").toString()));
        Path benchJar = Path.of(value(args, "--bench-jar", root.resolve("bench/target/starlib-bench.jar").toString()));
        Path output = Path.of(value(args, "--output", root.resolve("bench/target/bench-run").toString()));
        Duration warmup = duration(value(args, "--warmup", smoke ? "300ms" : "5s"));
        Duration measure = duration(value(args, "--measure", smoke ? "700ms" : "15s"));
        List<Integer> sizes = Arrays.stream(value(args, "--sizes", smoke ? "10,100,1000" : "1000,100000,1000000")
                .split(",")).map(String::strip).map(Integer::parseInt).toList();
        int heapSessions = Integer.parseInt(value(args, "--heap-sessions", smoke ? "5000" : "1000000"));
        Set<String> phases = new LinkedHashSet<>(Arrays.stream(value(args, "--phases", String.join(",", PHASES))
                .split(",")).map(String::strip).toList());
        if (!PHASES.containsAll(phases)) {
            throw new IllegalArgumentException("--phases takes some of " + String.join(",", PHASES) + ", not "
                    + String.join(",", phases));
        }
        return new Plan(smoke, has(args, "--jfr"), !smoke && !has(args, "--skip-run-sh"), root,
                serviceJar.toAbsolutePath(), benchJar.toAbsolutePath(), output.toAbsolutePath(), warmup, measure,
                64, List.of(16, 64), 16, 8, smoke ? 2 : 20, heapSessions, sizes, smoke ? 1 : 3,
                smoke ? Duration.ofMillis(500) : Duration.ofSeconds(3), phases, has(args, "--split-cpus"));
    }

    static String usage() {
        return """
                usage: ./bench.sh [--smoke] [--jfr] [--split-cpus] [--skip-run-sh] [--warmup=5s] [--measure=15s]
                                  [--sizes=1000,100000,1000000] [--heap-sessions=1000000]
                                  [--phases=memory,tls,file,redis,heap,growth,redis-growth] [--jar=other/starlib-auth.jar]
                  --smoke         tiny sizes, seconds long (what ./test.sh runs); proves every figure is printed
                  --jfr           after the measurements, profile logins at 64 users with JFR and print the hot spots
                  --split-cpus    then the bare route and /authorize again, the service pinned to CPU 1 and the
                                  benchmark's JVM (the load generator) and the fake to CPU 0 (taskset)
                  --skip-run-sh   do not time a start through ./run.sh (which rebuilds)
                  --phases        only these parts (memory: start-up, RSS, bare route, /authorize, logins, refreshes;
                                  tls: logins with SoundCloud over TLS, pooled and fresh connections; growth: the
                                  file store at each size; redis-growth: the Redis store at each size)
                  --jar           measure another build of the service (e.g. main's, for a "before")
                """;
    }

    private static boolean has(String[] args, String flag) {
        return Arrays.asList(args).contains(flag);
    }

    private static String value(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    /** "300ms", "5s", "2m". */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException("a duration is like 300ms, 5s or 2m, not " + text);
    }
}
