package dev.starlib.auth.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test starts and always stops: its output is forwarded line by line (and kept), its run is bounded,
 * and it is killed with everything it started when the test is done or the time is up.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Thread pump;

    private ChildProcess(Process process, String prefix) {
        this.process = process;
        this.pump = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    System.out.println(prefix + line);
                }
            } catch (IOException e) {
                output.add("(output lost: " + e.getMessage() + ")");
            }
        });
    }

    static ChildProcess start(List<String> command, Path workingDirectory, Map<String, String> environment, String prefix) {
        return start(command, workingDirectory, environment, prefix, false, List.of());
    }

    /** As {@link #start(List, Path, Map, String)}, without the inherited variables named in {@code unset}. */
    static ChildProcess start(List<String> command, Path workingDirectory, Map<String, String> environment, String prefix,
                              List<String> unset) {
        return start(command, workingDirectory, environment, prefix, false, unset);
    }

    /** With only PATH and HOME inherited: nothing from the machine running the test reaches the service's settings. */
    static ChildProcess startClean(List<String> command, Path workingDirectory, Map<String, String> environment,
                                   String prefix) {
        return start(command, workingDirectory, environment, prefix, true, List.of());
    }

    private static ChildProcess start(List<String> command, Path workingDirectory, Map<String, String> environment,
                                      String prefix, boolean clean, List<String> unset) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        if (clean) {
            builder.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
        }
        builder.environment().keySet().removeAll(unset);
        builder.environment().putAll(environment);
        try {
            return new ChildProcess(builder.start(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    /** The exit code, or -1 when the process did not end within {@code limit} (it is then killed). */
    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            return -1;
        }
        pump.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Waits until a line contains {@code text} (true), the process ends or the time is up (false). */
    boolean awaitLine(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                pump.join(Duration.ofSeconds(5));
                return output().contains(text);
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * SIGTERM, as a supervisor stops a service, still reading what it says while it stops; {@link #waitFor} then
     * tells how it ended. Through the process handle: {@code Process.destroy()} would also close our end of its
     * output, losing every line it writes from then on.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** SIGTERM to everything it started, then to itself: a shell script's java gets the signal a supervisor sends. */
    void terminateAll() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.toHandle().destroy();
    }

    List<String> lines() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** SIGKILL on Linux: no shutdown hook, no flush, no close. The exit code (137) once it is gone. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a killed process did not go away");
        }
        pump.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The java binary running this test, to start the jar with the same (21+) JDK. */
    static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The packaged service, as {@code ./run.sh} builds it; failsafe runs after {@code package}. */
    static Path jar() {
        Path jar = Path.of("target", "starlib-auth.jar").toAbsolutePath();
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        return jar;
    }
}
