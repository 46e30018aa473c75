package dev.starlib.auth.bench.load;

import dev.starlib.auth.bench.os.Proc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of the processes taking part in a measurement (the service, the load generator, the fake SoundCloud,
 * Redis), and of the whole machine, so that what the others on a shared box used shows too; and, read at the same
 * moments, counters of the fake SoundCloud (calls, connections).
 */
public final class CpuMeter {

    public static final String SERVICE = "service";
    public static final String GENERATOR = "generator";
    public static final String FAKE = "fake";
    public static final String REDIS = "redis";

    private final Map<String, Long> pids;
    private final Supplier<Map<String, Long>> counters;

    private CpuMeter(Map<String, Long> pids, Supplier<Map<String, Long>> counters) {
        this.pids = pids;
        this.counters = counters;
    }

    /**
     * @param pids     name → pid, in the order they should be reported
     * @param counters read at each snapshot (the fake's stats)
     */
    public static CpuMeter of(Map<String, Long> pids, Supplier<Map<String, Long>> counters) {
        return new CpuMeter(new LinkedHashMap<>(pids), counters);
    }

    public record Snapshot(Map<String, Long> cpuNanos, Proc.MachineCpu machine, long wallNanos,
                           Map<String, Long> counters) {
    }

    public Snapshot snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, Proc.cpuNanos(pid)));
        return new Snapshot(cpu, Proc.machine(), System.nanoTime(), counters.get());
    }

    /** What each process and the machine spent between two snapshots, and how the counters moved. */
    public record Usage(Map<String, Long> cpuNanos, long machineBusyNanos, long machineTotalNanos, long wallNanos,
                        Map<String, Long> counters) {

        public static Usage between(Snapshot start, Snapshot end) {
            Map<String, Long> spent = new LinkedHashMap<>();
            start.cpuNanos().forEach((name, before) -> spent.put(name, end.cpuNanos().get(name) - before));
            Map<String, Long> moved = new LinkedHashMap<>();
            end.counters().forEach((name, after) -> moved.put(name, after - start.counters().getOrDefault(name, 0L)));
            return new Usage(spent, end.machine().busyNanos() - start.machine().busyNanos(),
                    end.machine().totalNanos() - start.machine().totalNanos(), end.wallNanos() - start.wallNanos(),
                    moved);
        }

        public long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }

        public long nanos(String name) {
            return cpuNanos.getOrDefault(name, 0L);
        }

        /** CPU of the processes on the box that are not part of the benchmark (other people's builds, say). */
        public long othersNanos() {
            long ours = cpuNanos.values().stream().mapToLong(Long::longValue).sum();
            return Math.max(0, machineBusyNanos - ours);
        }

        /** Share of all cores that stood idle. */
        public double idleShare() {
            return machineTotalNanos == 0 ? 0 : 1.0 - (double) machineBusyNanos / machineTotalNanos;
        }

        public double microsPer(String name, long operations) {
            return operations == 0 ? Double.NaN : nanos(name) / 1000.0 / operations;
        }
    }
}
