package dev.starlib.auth.bench.os;

import java.io.IOException;
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
