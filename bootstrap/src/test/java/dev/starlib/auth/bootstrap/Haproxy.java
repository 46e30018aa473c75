package dev.starlib.auth.bootstrap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code haproxy}, started by a test on loopback with the configuration it is given, in the foreground,
 * and always stopped. Fails (never skips) when it is not installed.
 */
final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Haproxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts it on {@code configuration} and waits until every port in {@code listens} takes connections. */
    static Haproxy start(Path directory, String configuration, List<Integer> listens) throws Exception {
        String binary = binary();
        Files.createDirectories(directory);
        Path config = directory.resolve("haproxy.cfg");
        Files.writeString(config, configuration, StandardCharsets.UTF_8);
        Path log = directory.resolve("haproxy.log");
        Process process = new ProcessBuilder(binary, "-db", "-f", config.toString())
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Haproxy haproxy = new Haproxy(process, log);
        Instant deadline = Instant.now().plusSeconds(20);
        for (int port : listens) {
            while (!listening(port)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    haproxy.close();
                    throw new AssertionError("haproxy did not listen on " + port + ":\n" + haproxy.log());
                }
                Thread.sleep(50);
            }
        }
        return haproxy;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String place : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(place))) {
                return place;
            }
        }
        throw new AssertionError("haproxy is not installed: install haproxy (apt-get install haproxy)");
    }

    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
}
