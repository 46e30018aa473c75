package dev.starlib.auth.bench;

import dev.starlib.auth.bench.Report.Target;
import dev.starlib.auth.bench.os.Child;
import dev.starlib.auth.bench.os.ClassHistogram;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Heap bytes per pending session, with the plan's count (a million) of pending logins in the memory store:
 * {@link HeapProbe} fills it in a JVM with run.sh's settings (the heap raised to hold them all), and the live heap
 * is read from full-GC class histograms before and after. The classes that grew most show where the bytes go. The
 * same logins are then measured finished (a result with its tokens, waiting for its pickup) and picked up (the
 * marker each leaves for the rest of its result's TTL), and as many refreshes remembered for their reuse window.
 */
final class HeapPhase {

    private HeapPhase() {
    }

    static void run(Rig rig) throws Exception {
        int sessions = rig.plan.heapSessions();
        Report report = rig.report;
        report.section("Heap per pending session, " + Report.number(sessions) + " pending logins in the memory store",
                "heap, " + Report.number(sessions) + " pending");
        long heapMegabytes = Math.max(512, 512 + sessions * 3L / 1024);
        List<String> command = new ArrayList<>();
        command.add(Rig.java());
        command.addAll(rig.jvmOptions);
        command.add("-Xmx" + heapMegabytes + "m");
        command.addAll(List.of("-cp", rig.plan.benchJar().toString(), HeapProbe.class.getName(), Integer.toString(sessions)));
        Path directory = rig.output("heap-probe");
        Files.createDirectories(directory);
        try (Child probe = Child.start("heap probe", command, directory, Map.of(), directory.resolve("heap-probe.log"))) {
            awaitLine(probe, HeapProbe.BASELINE);
            ClassHistogram before = ClassHistogram.of(probe.pid());
            proceed(probe);
            awaitLine(probe, HeapProbe.FULL);
            ClassHistogram after = ClassHistogram.of(probe.pid());
            proceed(probe);
            double perSession = (double) (after.totalBytes() - before.totalBytes()) / sessions;
            report.figure("heap.pending_bytes", "heap per pending session", perSession, "bytes",
                    Target.atMost(512, " bytes"));
            report.note("live heap after a full GC: " + Report.number(before.totalBytes() / 1048576.0) + " MB before, "
                    + Report.number(after.totalBytes() / 1048576.0) + " MB with the sessions (JVM: run.sh's settings"
                    + " and -Xmx" + heapMegabytes + "m); per session, the classes that grew most:");
            growth(report, before, after, sessions);
            awaitLine(probe, HeapProbe.FINISHED);
            ClassHistogram finished = ClassHistogram.of(probe.pid());
            proceed(probe);
            report.figure("heap.finished_bytes", "heap per finished login waiting for its pickup (tokens of "
                    + HeapProbe.TOKEN_CHARACTERS + " characters)", (double) (finished.totalBytes() - before.totalBytes())
                    / sessions, "bytes", Target.NONE);
            growth(report, before, finished, sessions);
            awaitLine(probe, HeapProbe.PICKED_UP);
            ClassHistogram pickedUp = ClassHistogram.of(probe.pid());
            proceed(probe);
            report.figure("heap.picked_up_bytes", "heap per login after its pickup (its marker, kept for the rest of"
                    + " its result's TTL)", (double) (pickedUp.totalBytes() - before.totalBytes()) / sessions, "bytes",
                    Target.NONE);
            report.note("the same logins picked up; a steady load holds one marker per login of the last"
                    + " RESULT_TTL_SECONDS (120): per login, the classes that grew most:");
            growth(report, before, pickedUp, sessions);
            awaitLine(probe, HeapProbe.REMEMBERED);
            ClassHistogram remembered = ClassHistogram.of(probe.pid());
            proceed(probe);
            report.figure("heap.remembered_refresh_bytes", "heap per refresh remembered for its reuse window (POST"
                    + " /refresh's answer, sealed, kept for REFRESH_REUSE_SECONDS)",
                    (double) (remembered.totalBytes() - pickedUp.totalBytes()) / sessions, "bytes", Target.NONE);
            report.note("as many refreshes, after the pickups; a steady load holds one per refresh of the last"
                    + " REFRESH_REUSE_SECONDS (60): per refresh, the classes that grew most:");
            growth(report, pickedUp, remembered, sessions);
            if (probe.waitFor(60_000) != 0) {
                report.error("the heap probe did not end cleanly:\n" + probe.tail(10));
            }
        }
    }

    private static void growth(Report report, ClassHistogram before, ClassHistogram after, int sessions) {
        for (ClassHistogram.Entry grew : after.growthSince(before, 8)) {
            report.note(String.format(java.util.Locale.ROOT, "  %6.1f bytes  %4.2f objects  %s",
                    (double) grew.bytes() / sessions, (double) grew.instances() / sessions, grew.className()));
        }
    }

    private static void awaitLine(Child probe, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 15L * 60 * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (probe.output().lines().anyMatch(line -> line.startsWith(prefix))) {
                return;
            }
            if (!probe.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the heap probe did not reach " + prefix + ":\n" + probe.tail(20));
    }

    private static void proceed(Child probe) throws IOException {
        OutputStream in = probe.process().getOutputStream();
        in.write("\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
