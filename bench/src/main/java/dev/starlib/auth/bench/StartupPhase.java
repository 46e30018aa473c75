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
            }
        } else {
            report.unavailable("startup.run_sh_ms", "./run.sh to first 200 (its build included)",
                    rig.plan.smoke() ? "skipped in the smoke pass (run.sh would rebuild inside the build)"
                            : "skipped (--skip-run-sh)");
        }
        List<Double> starts = new ArrayList<>();
        ServiceUnderTest service = null;
        for (int i = 0; i < rig.plan.jarStarts(); i++) {
            if (service != null) {
                service.close();
            }
            service = ServiceUnderTest.start(rig, "memory", ServiceUnderTest.Launcher.JAR, MEMORY, List.of(),
                    Duration.ofMinutes(2));
            starts.add(service.startMillis());
        }
        try {
            measureIdle(rig, starts, service);
            return service;
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
    }

    private static void measureIdle(Rig rig, List<Double> starts, ServiceUnderTest service) throws InterruptedException {
        Report report = rig.report;
        List<Double> sorted = starts.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        report.figure("startup.jar_ms", "the jar to first 200 (median of " + starts.size() + ")", median, "ms",
                Target.atMost(1_000, " ms"));
        report.note("each start: " + starts.stream().map(Report::number).toList() + " ms (JVM start included)");
        Thread.sleep(rig.plan.idleBeforeRss());
        report.figure("rss.idle_mb", "RSS idle, " + rig.plan.idleBeforeRss().toMillis() + " ms after the first 200",
                service.rssMegabytes(), "MB", Target.atMost(96, " MB"));
    }
}
