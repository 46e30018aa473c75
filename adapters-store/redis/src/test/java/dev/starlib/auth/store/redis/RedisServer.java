package dev.starlib.auth.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (or {@code redis-sentinel}) for a test: on a free loopback port, with its files in a
 * directory of the test's, no persistence unless asked, and always stopped. Fails (never skips) when Debian's
 * package is missing, saying what to install. Shared by the store's tests and bootstrap's packaged-jar tests.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final String binary;
    private final Path directory;
    private final Path config;
    private final int port;
    private Process process;

    private RedisServer(String binary, Path directory, Path config, int port) {
        this.binary = binary;
        this.directory = directory;
        this.config = config;
        this.port = port;
    }

    /** A Redis with no persistence and no replicas: a crash of it loses everything, which tests may want. */
    public static RedisServer start(Path directory) {
        return start(directory, List.of());
    }

    /** @param extraConfig more {@code redis.conf} lines, e.g. {@code "appendonly yes"} */
    public static RedisServer start(Path directory, List<String> extraConfig) {
        int port = freePort();
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind 127.0.0.1",
                "dir " + directory.toAbsolutePath(),
                "daemonize no",
                "save \"\"",
                "appendonly no",
                // Values stay as we wrote them in DUMP output, so a test can look for secrets in them.
                "rdbcompression no",
                "logfile " + directory.resolve("redis.log").toAbsolutePath()));
        lines.addAll(extraConfig);
        return launch(binary("redis-server"), directory, port, lines);
    }

    /** A replica of {@code primary}, for Sentinel tests. */
    public static RedisServer replicaOf(Path directory, RedisServer primary) {
        return start(directory, List.of("replicaof 127.0.0.1 " + primary.port()));
    }

    /**
     * A Sentinel watching {@code primary} as {@code master}, with a quorum of {@code quorum}, deciding a primary is
     * down after {@code downAfter} without an answer.
     */
    public static RedisServer sentinel(Path directory, String master, RedisServer primary, int quorum, Duration downAfter) {
        int port = freePort();
        List<String> lines = List.of(
                "port " + port,
                "bind 127.0.0.1",
                "dir " + directory.toAbsolutePath(),
                "daemonize no",
                "logfile " + directory.resolve("sentinel.log").toAbsolutePath(),
                "sentinel monitor " + master + " 127.0.0.1 " + primary.port() + " " + quorum,
                "sentinel down-after-milliseconds " + master + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + master + " 10000",
                "sentinel parallel-syncs " + master + " 1");
        return launch(binary("redis-sentinel"), directory, port, lines);
    }

    private static RedisServer launch(String binary, Path directory, int port, List<String> lines) {
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve(binary.endsWith("sentinel") ? "sentinel.conf" : "redis.conf");
            Files.write(config, lines, StandardCharsets.UTF_8);
            RedisServer server = new RedisServer(binary, directory, config, port);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory + " for " + binary, e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}: for {@code REDIS_URL}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path directory() {
        return directory;
    }

    /** The server's process id: a benchmark reads its CPU time from {@code /proc}. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops it as an operator would ({@code SIGTERM}); {@link #restart} brings it back on the same port. */
    public void stop() {
        if (process != null) {
            process.destroy();
            await(process);
        }
    }

    /** {@code kill -9}: no shutdown, no save. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(process);
        }
    }

    /** Starts it again on the same port, configuration and directory. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("it is running");
        }
        startProcess();
    }

    /** Runs {@code redis-cli -p <port> <arguments>}: another client than ours, to look at what Redis holds. */
    public String cli(String... arguments) {
        List<String> command = new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1", "-p",
                String.valueOf(port)));
        command.addAll(List.of(arguments));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = cli.getInputStream().readAllBytes();
            if (!cli.waitFor(20, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", arguments) + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The log, for a failure message. */
    public String log() {
        for (String name : List.of("redis.log", "sentinel.log")) {
            Path log = directory.resolve(name);
            if (Files.exists(log)) {
                try {
                    return Files.readString(log);
                } catch (IOException e) {
                    return "(log unreadable: " + e.getMessage() + ")";
                }
            }
        }
        return "(no log)";
    }

    @Override
    public void close() {
        kill();
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(binary, config.toAbsolutePath().toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + binary + ": " + e.getMessage() + "; " + installHint(binary), e);
        }
        awaitPong();
    }

    /** Polls PING over a plain socket until it answers +PONG; a Redis loading its files answers -LOADING. */
    private void awaitPong() {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(binary + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (answersPong()) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        process.destroyForcibly();
        throw new AssertionError(binary + " did not answer PING on port " + port + " within " + READY_WITHIN + ":\n" + log());
    }

    private boolean answersPong() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int read = in.readNBytes(answer, 0, 7);
            return read == 7 && new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void await(Process process) {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The binary, looked up on the PATH and in Debian's places; a missing one fails the test with what to install. */
    static String binary(String name) {
        List<Path> places = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty()) {
                places.add(Path.of(entry));
            }
        }
        places.addAll(List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin")));
        for (Path place : places) {
            Path candidate = place.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not installed: " + installHint(name));
    }

    private static String installHint(String binary) {
        String name = Path.of(binary).getFileName().toString();
        String pkg = name.equals("redis-sentinel") ? "redis-sentinel" : name.equals("redis-cli") ? "redis-tools"
                : "redis-server";
        return "install " + pkg + " (apt-get install " + pkg + ")";
    }

    /** A loopback port to start something on later: see {@link LoopbackPorts}. */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + binary + " on 127.0.0.1:" + port + "]";
    }
}
