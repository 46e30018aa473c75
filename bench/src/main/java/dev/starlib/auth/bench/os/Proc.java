package dev.starlib.auth.bench.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux says about a process and the machine, from {@code /proc}: CPU time (user + system, all threads),
 * resident memory, and the machine's busy time. CPU time is what the benchmark compares, because on a shared box
 * it moves far less than throughput does.
 */
public final class Proc {

    /** USER_HZ: the unit of the times in /proc/[pid]/stat and /proc/stat; 100 on every Linux that matters. */
    private static final long TICKS_PER_SECOND = ticksPerSecond();
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private Proc() {
    }

    /** utime + stime of the process (fields 14 and 15 of /proc/[pid]/stat), in nanoseconds; -1 once it is gone. */
    public static long cpuNanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return -1;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        return (utime + stime) * NANOS_PER_TICK;
    }

    /** VmRSS of /proc/[pid]/status, in bytes; -1 once the process is gone. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException gone) {
            return -1;
        }
    }

    /** The machine's CPU time since boot, all cores: busy (everything but idle and iowait) and in total. */
    public record MachineCpu(long busyNanos, long totalNanos) {
    }

    public static MachineCpu machine() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] fields = cpu.trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
            for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new MachineCpu((total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat: the benchmark needs Linux", e);
        }
    }

    /** The load averages, as uptime prints them. */
    public static String loadAverage() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return parts.get(0) + " " + parts.get(1) + " " + parts.get(2);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
