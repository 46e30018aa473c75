package dev.starlib.auth.bootstrap;

import dev.starlib.auth.store.redis.RedisServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance of the packaged service ({@code starlib-auth.jar}) as a child process, on ports of its own, with its
 * output in a log file; for the tests that run several instances side by side. Always killed at the end.
 */
final class ServiceJar implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    /** Exit status of a JVM ended by signal 9: proof that it was killed, not shut down. */
    private static final int KILLED = 128 + 9;

    final String name;
    final int port;
    final int adminPort;
    private final Process process;
    private final Path log;

    private ServiceJar(String name, int port, int adminPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.adminPort = adminPort;
        this.process = process;
        this.log = log;
    }

    /** Starts it with only {@code PATH}, {@code HOME} and {@code environment} set, and waits until it listens. */
    static ServiceJar start(Path workDir, String name, Map<String, String> environment) throws Exception {
        int port = RedisServer.freePort();
        int adminPort = RedisServer.freePort();
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ChildProcess.currentJava(), "-Xmx160m", "-XX:TieredStopAtLevel=1",
                "-jar", jar().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> !key.equals("PATH") && !key.equals("HOME"));
        Map<String, String> all = new HashMap<>(Map.of("BACKEND_HOST", "127.0.0.1", "BACKEND_PORT", String.valueOf(port),
                "ADMIN_PORT", String.valueOf(adminPort), "ADMIN_PASSWORD", "it-admin-password"));
        all.putAll(environment);
        env.putAll(all);
        ServiceJar service = new ServiceJar(name, port, adminPort, builder.start(), log);
        service.awaitListening();
        return service;
    }

    /**
     * Rate limits no test's own traffic meets: for tests about something else, whose many requests all come from
     * one loopback client (with Redis, its budgets are shared by every instance). A test may override any of them.
     */
    static Map<String, String> generousRateLimits() {
        Map<String, String> generous = new HashMap<>();
        SettingsLoader.RATE_LIMITED_ENDPOINTS.values().forEach(variable -> generous.put(variable, "100000/min"));
        return generous;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String api() {
        return base() + "/auth/soundcloud";
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** {@code kill -9}: no shutdown hook, nothing flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of the killed %s", name).isEqualTo(KILLED);
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static void closeAll(List<ServiceJar> services) {
        for (ServiceJar service : services) {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitListening() throws Exception {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (listens(port) && listens(adminPort)) {
                return;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError(name + " did not listen on " + port + " within " + READY_WITHIN + ":\n" + log());
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("starlib.jar", "target/starlib-auth.jar"));
        assertThat(jar).as("the packaged service; run through 'mvn verify'").exists();
        return jar.toAbsolutePath();
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
