package dev.starlib.auth.bench.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs processes may run on, set with util-linux's {@code taskset} for every thread a process has ({@code -a});
 * threads started later inherit the mask of the thread that starts them. {@link #close()} gives each process back
 * the CPUs it had before.
 */
public final class CpuAffinity implements AutoCloseable {

    private final Map<Long, String> before = new LinkedHashMap<>();

    private CpuAffinity() {
    }

    /** Why processes cannot be put on CPUs of their own here (no taskset, fewer than two CPUs), if so. */
    public static Optional<String> whyUnavailable() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Optional.of("needs 2 CPUs, this process may use " + Runtime.getRuntime().availableProcessors());
        }
        try {
            list(ProcessHandle.current().pid());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("taskset (util-linux) does not work here: " + e.getMessage());
        }
    }

    /** @param cpusByPid for each process, the CPUs it may use from now on, as taskset lists them ("1", "0-1") */
    public static CpuAffinity pin(Map<Long, String> cpusByPid) {
        CpuAffinity affinity = new CpuAffinity();
        try {
            for (Map.Entry<Long, String> pin : cpusByPid.entrySet()) {
                affinity.before.put(pin.getKey(), list(pin.getKey()));
                taskset("-a", "-p", "-c", pin.getValue(), Long.toString(pin.getKey()));
            }
        } catch (RuntimeException e) {
            affinity.close();
            throw e;
        }
        return affinity;
    }

    @Override
    public void close() {
        before.forEach((pid, cpus) -> taskset("-a", "-p", "-c", cpus, Long.toString(pid)));
        before.clear();
    }

    /** The CPU list of a process, e.g. "0,1" from "pid 42's current affinity list: 0,1". */
    private static String list(long pid) {
        String output = taskset("-c", "-p", Long.toString(pid)).strip();
        return output.substring(output.lastIndexOf(':') + 1).strip();
    }

    private static String taskset(String... arguments) {
        List<String> command = new ArrayList<>(List.of("taskset"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run taskset", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running taskset", e);
        }
    }
}
