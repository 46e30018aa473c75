package dev.starlib.auth.bench.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port with its own data directory, for the
 * Redis store's logins. Append-only with {@code appendfsync everysec}: the usual production choice.
 */
public final class RedisServer implements AutoCloseable {

    public static final String SETTINGS = "appendonly yes, appendfsync everysec";

    private final Child child;
    private final int port;

    private RedisServer(Child child, int port) {
        this.child = child;
        this.port = port;
    }

    public static RedisServer start(Path directory) throws IOException {
        String binary = onPath("redis-server");
        if (binary == null) {
            throw new IllegalStateException("this build has the Redis session store, and measuring it needs "
                    + "redis-server: apt-get install -y redis-server");
        }
        Files.createDirectories(directory);
        int port = RawHttp.freePort();
        Child child = Child.start("redis-server", List.of(binary, "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--dir", directory.toString(), "--save", "",
                        "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no"),
                directory, Map.of(), directory.resolve("redis.log"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ping(port)) {
                return new RedisServer(child, port);
            }
            if (!child.isAlive()) {
                break;
            }
            sleep(20);
        }
        String tail = child.tail(20);
        child.close();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + ":\n" + tail);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return child.pid();
    }

    public String version() {
        try {
            Process process = new ProcessBuilder(onPath("redis-server"), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return out.replaceAll(" sha=.*", "");
        } catch (IOException e) {
            return "redis-server";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "redis-server";
        }
    }

    /**
     * Scripts Redis has run for its clients so far ({@code EVALSHA} and {@code EVAL} in {@code INFO commandstats}):
     * the store's round trips that change something, since every change is one script. The commands the scripts
     * call inside are counted under their own names, so {@code GET} is not a round trip count.
     */
    public long scriptsRun() {
        String stats = info("commandstats");
        long scripts = 0;
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:calls=") || line.startsWith("cmdstat_eval:calls=")) {
                String calls = line.substring(line.indexOf('=') + 1);
                int comma = calls.indexOf(',');
                scripts += Long.parseLong(comma < 0 ? calls : calls.substring(0, comma));
            }
        }
        return scripts;
    }

    /** {@code INFO <section>}, the server's answer as text. */
    private String info(String section) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("Redis closed the connection before answering INFO");
                }
                header.append((char) b);
            }
            String length = header.toString().strip();
            if (!length.startsWith("$")) {
                throw new IOException("Redis answered INFO with " + length);
            }
            return new String(in.readNBytes(Integer.parseInt(length.substring(1))), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("INFO " + section + " from redis-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        child.close();
    }

    private static boolean ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
