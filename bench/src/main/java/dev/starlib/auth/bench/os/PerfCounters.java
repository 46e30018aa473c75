package dev.starlib.auth.bench.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HotSpot's performance counters of a running JVM, as {@code jcmd <pid> PerfCounter.print} prints them at one
 * moment: what its compilers and collectors have spent so far. A read starts a {@code jcmd}, which costs a few
 * hundred milliseconds of CPU: take it outside a measured window.
 */
public final class PerfCounters {

    private final Map<String, String> values;

    private PerfCounters(Map<String, String> values) {
        this.values = values;
    }

    public static PerfCounters of(long pid) {
        return parse(Jcmd.run(pid, "PerfCounter.print"));
    }

    static PerfCounters parse(String printed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : printed.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1).trim());
            }
        }
        return new PerfCounters(values);
    }

    /** What the compilers have spent so far ({@code java.ci.totalTime}), in nanoseconds. */
    public long compileNanos() {
        return nanos(number("java.ci.totalTime"));
    }

    /** How long the collections have paused the JVM so far, in nanoseconds: each collector's pauses, summed. */
    public long gcPauseNanos() {
        long ticks = 0;
        for (String collector : collectors()) {
            ticks += number(collector + ".time");
        }
        return nanos(ticks);
    }

    /** How many full collections (the whole heap, the application stopped) the JVM has made so far. */
    public long fullCollections() {
        long full = 0;
        for (String collector : collectors()) {
            if (values.get(collector + ".name").contains("full")) {
                full += number(collector + ".invocations");
            }
        }
        return full;
    }

    /** The collectors that count pauses ("Serial young collection pauses", "Serial full collection pauses"). */
    private List<String> collectors() {
        List<String> found = new ArrayList<>();
        for (int i = 0; values.containsKey("sun.gc.collector." + i + ".name"); i++) {
            if (values.get("sun.gc.collector." + i + ".name").endsWith("pauses\"")) {
                found.add("sun.gc.collector." + i);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the JVM counts no collection pauses (sun.gc.collector.*)");
        }
        return found;
    }

    private long nanos(long ticks) {
        return Math.round(ticks * (1e9 / number("sun.os.hrt.frequency")));
    }

    private long number(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("jcmd PerfCounter.print has no " + name);
        }
        return Long.parseLong(value);
    }
}
