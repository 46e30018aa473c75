package dev.starlib.auth.bench;

import dev.starlib.auth.bench.load.ClosedLoop;
import dev.starlib.auth.bench.load.Journeys;
import dev.starlib.auth.bench.os.Jcmd;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --jfr}: after the measurements (so they are not disturbed), full logins at the highest concurrency on
 * the memory-store service (and the Redis-store service, when that phase runs) with a JFR recording ({@code jcmd JFR.start settings=profile}, execution samples every
 * 2 ms, and on JDK 25 CPU-time samples every 1 ms of CPU), then where the samples
 * fell: the hottest methods (own time), the share of samples with each suspect from issue 12 on the stack, where
 * the CPU time went (native and kernel time included) by frame and by thread, and the biggest allocators. The recording stays in the output folder for JDK Mission Control or {@code jfr print}.
 */
final class JfrProfile {

    /** Issue 12's suspects, by what their frames look like. */
    private static final Map<String, List<String>> SUSPECTS = suspects();

    private JfrProfile() {
    }

    /** @param store the service's store, as the report names it ("memory", "redis") */
    static void run(Rig rig, ServiceUnderTest service, String store) throws Exception {
        int users = rig.plan.loginUsers().getLast();
        String name = store.equals("memory") ? "" : "-" + store;
        Path recording = rig.output("logins-" + users + name + ".jfr");
        rig.report.section("Profile (JFR, settings=profile, samples every 2 ms): full logins, " + store + " store, "
                + users + " users", "profile" + (name.isEmpty() ? "" : ", " + store));
        // Five times profile's sampling rate: a 2-core box under load gives the service few samples otherwise.
        List<String> start = new ArrayList<>(List.of("JFR.start", "name=bench", "settings=profile",
                "jdk.ExecutionSample#period=2ms"));
        if (Runtime.version().feature() >= 25) {
            // The service runs on this JVM's JDK: JDK 25's CPU-time sampler (JEP 509) also sees time in native code
            // and the kernel, which the execution sampler misses (a socket write, a futex).
            start.addAll(List.of("jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms"));
        }
        Jcmd.run(service.pid(), start.toArray(String[]::new));
        ClosedLoop.Result result = ClosedLoop.run("jfr", users, new Journeys(service.base()).logins(),
                rig.plan.warmup(), rig.plan.measure(), rig.meter(service, Map.of()));
        Jcmd.run(service.pid(), "JFR.stop", "name=bench", "filename=" + recording);
        rig.report.note(Report.number(result.perSecond()) + " logins/s while recording; " + recording);
        List<String> lines = summarize(recording);
        lines.forEach(rig.report::note);
        Files.write(rig.output("jfr-summary" + name + ".txt"), lines);
    }

    static List<String> summarize(Path recording) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> suspects = new LinkedHashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        Map<String, Integer> cpuSelf = new HashMap<>();
        Map<String, Integer> cpuThreads = new HashMap<>();
        int cpuSamples = 0;
        int samples = 0;
        int ours = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    self.merge(name(stack.getFrames().getFirst()), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    boolean starlib = false;
                    for (RecordedFrame frame : stack.getFrames()) {
                        String name = name(frame);
                        starlib |= name.startsWith("dev.starlib.");
                        SUSPECTS.forEach((suspect, prefixes) -> {
                            if (prefixes.stream().anyMatch(name::startsWith)) {
                                seen.add(suspect);
                            }
                        });
                    }
                    seen.forEach(suspect -> suspects.merge(suspect, 1, Integer::sum));
                    ours += starlib ? 1 : 0;
                } else if (type.equals("jdk.CPUTimeSample")) {
                    cpuSamples++;
                    cpuSelf.merge(name(stack.getFrames().getFirst()), 1, Integer::sum);
                    cpuThreads.merge(threadGroup(event), 1, Integer::sum);
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    allocations.merge(name(stack.getFrames().getFirst()), event.getLong("weight"), Long::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        int total = Math.max(1, samples);
        lines.add(samples + " execution samples; " + percent(ours, total) + " with Starlib code (dev.starlib) on the stack");
        lines.add("hottest methods (own time):");
        top(self, 15).forEach(entry -> lines.add("  " + percent(entry.getValue(), total) + "  " + entry.getKey()));
        lines.add("samples with a suspect on the stack:");
        SUSPECTS.keySet().forEach(suspect ->
                lines.add("  " + percent(suspects.getOrDefault(suspect, 0), total) + "  " + suspect));
        if (cpuSamples > 0) {
            int cpuTotal = cpuSamples;
            lines.add(cpuSamples + " CPU-time samples (JEP 509: time in native code and the kernel included); "
                    + "hottest frames (own time):");
            top(cpuSelf, 10).forEach(entry -> lines.add("  " + percent(entry.getValue(), cpuTotal) + "  " + entry.getKey()));
            lines.add("CPU-time samples by thread:");
            top(cpuThreads, 8).forEach(entry -> lines.add("  " + percent(entry.getValue(), cpuTotal) + "  " + entry.getKey()));
        }
        long allocated = Math.max(1, allocations.values().stream().mapToLong(Long::longValue).sum());
        lines.add("biggest allocators (sampled weight):");
        top(allocations, 10).forEach(entry -> lines.add("  " + percent(entry.getValue(), allocated) + "  " + entry.getKey()));
        return lines;
    }

    private static <N extends Number & Comparable<N>> List<Map.Entry<String, N>> top(Map<String, N> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, N>comparingByValue().reversed())
                .limit(limit)
                .toList();
    }

    /** A thread's name without its number ({@code lettuce-nioEventLoop-4-1} is {@code lettuce-nioEventLoop}). */
    private static String threadGroup(RecordedEvent event) {
        jdk.jfr.consumer.RecordedThread thread = event.getThread("eventThread");
        String name = thread == null ? null : thread.getJavaName();
        if (name == null || name.isEmpty()) {
            return thread != null && thread.isVirtual() ? "(virtual threads)" : "(unnamed)";
        }
        return name.replaceAll("[-#]?[0-9]+(-[0-9]+)*$", "").replaceAll("\\[0x[0-9a-f]+ 0x[0-9a-f]+\\] ", "");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String percent(double part, double whole) {
        return String.format(Locale.ROOT, "%5.1f%%", 100 * part / whole);
    }

    private static Map<String, List<String>> suspects() {
        Map<String, List<String>> suspects = new LinkedHashMap<>();
        suspects.put("the SoundCloud adapter (dev.starlib.auth.soundcloud)", List.of("dev.starlib.auth.soundcloud."));
        suspects.put("opening connections (Socket/Net connect)", List.of("sun.nio.ch.Net.connect",
                "sun.nio.ch.NioSocketImpl.connect", "java.net.Socket.connect"));
        suspects.put("a thread and FutureTask per call (BoundedExchange)", List.of(
                "dev.starlib.auth.soundcloud.BoundedExchange.run", "java.lang.VirtualThread.start",
                "java.lang.ThreadBuilders$VirtualThreadBuilder.start"));
        suspects.put("logging (java.util.logging, System.Logger)", List.of("java.util.logging.",
                "sun.util.logging.", "jdk.internal.logger.", "io.helidon.logging."));
        suspects.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
        suspects.put("metrics (Micrometer, Helidon metrics)", List.of("io.micrometer.", "io.helidon.metrics."));
        suspects.put("SecureRandom and hashing", List.of("java.security.SecureRandom", "sun.security.provider."));
        suspects.put("the session store (dev.starlib.auth.store)", List.of("dev.starlib.auth.store."));
        suspects.put("Helidon's web server", List.of("io.helidon.webserver."));
        suspects.put("Helidon's web client", List.of("io.helidon.webclient."));
        return suspects;
    }
}
