package dev.starlib.auth.bench;

import dev.starlib.auth.bench.Report.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start to first 200, through ./run.sh (what a person types, build check included) and of the jar alone with
 * run.sh's JVM settings (fresh JVMs, the median of a few), then resident memory once the service has idled.
 * Leaves the last start running: it is the memory-store service the load phases use.
 */
final class StartupPhase {

    static final Map<String, String> MEMORY = Map.of("SESSION_STORE", "memory");

    private StartupPhase() {
    }

    static ServiceUnderTest run(Rig rig) throws Exception {
        Report report = rig.report;
        report.section("Start-up", "start-up");
        report.note("JVM settings from " + JvmOptions.SCRIPT + ": "
                + (rig.jvmOptions.isEmpty() ? "(none: the JVM's defaults)" : String.join(" ", rig.jvmOptions)));
        if (rig.plan.runShStart()) {
            try (ServiceUnderTest viaRunSh = ServiceUnderTest.start(rig, "run-sh", ServiceUnderTest.Launcher.RUN_SH,
                    MEMORY, List.of(), Duration.ofMinutes(5))) {
                report.figure("startup.run_sh_ms", "./run.sh to first 200 (its build included)",
                        viaRunSh.startMillis(), "ms", Target.atMost(1_000, " ms"));
                report.figure("startup.run_sh_cpu_ms", "its CPU to the first 200 (run.sh's checks, then the JVM)",
                        viaRunSh.startCpuMillis(), "ms", Target.NONE);
            }
        } else {
            report.unavailable("startup.run_sh_ms", "./run.sh to first 200 (its build included)",
                    rig.plan.smoke() ? "skipped in the smoke pass (run.sh would rebuild inside the build)"
                            : "skipped (--skip-run-sh)");
        }
        // Without the AOT cache first (-XX:AOTMode=off, after run.sh's settings, wins), then as run.sh starts it.
        boolean cached = rig.jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOTCache="));
        List<Double> plainStarts = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        if (cached) {
            for (int i = 0; i < rig.plan.jarStarts(); i++) {
                try (ServiceUnderTest plain = ServiceUnderTest.start(rig, "no-aot", ServiceUnderTest.Launcher.JAR,
                        MEMORY, List.of("-XX:AOTMode=off"), Duration.ofMinutes(2))) {
                    plainStarts.add(plain.startMillis());
                    plainCpu.add(plain.startCpuMillis());
                }
            }
        }
        List<Double> starts = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        ServiceUnderTest service = null;
        for (int i = 0; i < rig.plan.jarStarts(); i++) {
            if (service != null) {
                service.close();
            }
            service = ServiceUnderTest.start(rig, "memory", ServiceUnderTest.Launcher.JAR, MEMORY, List.of(),
                    Duration.ofMinutes(2));
            starts.add(service.startMillis());
            cpu.add(service.startCpuMillis());
        }
        try {
            report.figure("startup.jar_ms", "the jar to first 200 (median of " + starts.size() + ")"
                    + (cached ? ", with the AOT cache" : ""), median(starts), "ms", Target.atMost(1_000, " ms"));
            report.note("each start: " + starts.stream().map(Report::number).toList() + " ms (JVM start included)");
            report.figure("startup.jar_cpu_ms", "the service's CPU to its first 200", median(cpu), "ms", Target.NONE);
            if (cached) {
                report.figure("startup.jar_no_aot_ms", "the same without the AOT cache (-XX:AOTMode=off)",
                        median(plainStarts), "ms", Target.NONE);
                report.note("each start: " + plainStarts.stream().map(Report::number).toList() + " ms");
                report.figure("startup.jar_no_aot_cpu_ms", "its CPU to its first 200", median(plainCpu), "ms",
                        Target.NONE);
            } else {
                String why = "no AOT cache in run.sh's settings (JDK " + Runtime.version().feature()
                        + ", or scripts/aot-cache.sh has not trained one)";
                report.unavailable("startup.jar_no_aot_ms", "the same without the AOT cache", why);
                report.unavailable("startup.jar_no_aot_cpu_ms", "its CPU to its first 200", why);
            }
            measureIdle(rig, service);
            return service;
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void measureIdle(Rig rig, ServiceUnderTest service) throws InterruptedException {
        Report report = rig.report;
        Thread.sleep(rig.plan.idleBeforeRss());
        report.figure("rss.idle_mb", "RSS idle, " + rig.plan.idleBeforeRss().toMillis() + " ms after the first 200",
                service.rssMegabytes(), "MB", Target.atMost(96, " MB"));
    }
}
