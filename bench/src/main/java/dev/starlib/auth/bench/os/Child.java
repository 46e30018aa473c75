package dev.starlib.auth.bench.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts and always stops, with its output in a log file (so that reading it costs the
 * benchmark no CPU during a measurement) and a minimal environment: only what is given, plus PATH, HOME, LANG and
 * JAVA_HOME, so that nothing in the caller's shell (a stray SESSION_STORE, say) changes what is measured.
 */
public final class Child implements AutoCloseable {

    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "JAVA_HOME", "TMPDIR");
    /** Every child still running, so that a benchmark stopped with Ctrl-C leaves none behind. */
    private static final Set<Child> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> List.copyOf(RUNNING).forEach(Child::close)));
    }

    private final Process process;
    private final Path log;
    private final String name;

    private Child(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    public static Child start(String name, List<String> command, Path directory, Map<String, String> environment,
                              Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = System.getenv();
        env.clear();
        INHERITED.stream().filter(inherited::containsKey).forEach(key -> env.put(key, inherited.get(key)));
        env.putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            Child child = new Child(builder.start(), log, name);
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.getFirst() + ")", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    /** The log so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last lines of the log, for an error message. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits for the process to end; -1 when it has not ended within the limit (it keeps running). */
    public int waitFor(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM to it and everything it started, SIGKILL after ten seconds. */
    @Override
    public void close() {
        RUNNING.remove(this);
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
