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
 * 2 ms), then where the samples
 * fell: the hottest methods (own time), the share of samples with each suspect from issue 12 on the stack, and
 * the biggest allocators. The recording stays in the output folder for JDK Mission Control or {@code jfr print}.
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
        Jcmd.run(service.pid(), "JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=2ms");
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
