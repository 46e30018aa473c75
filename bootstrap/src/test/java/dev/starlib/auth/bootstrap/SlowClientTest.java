package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients cannot hold the service: connections that dribble a request head, or say nothing at all, are closed
 * after REQUEST_HEAD_TIMEOUT_SECONDS; one idle after its answer is closed after KEEP_ALIVE_TIMEOUT_SECONDS; a client
 * holding CONNECTIONS_PER_CLIENT gets a 429 for one more; and all the while other clients are served. Raw sockets
 * bound to their own loopback addresses play the clients. Waits poll with generous bounds: nothing here is timed.
 */
class SlowClientTest {

    @TempDir
    static Path workDir;
    private static RunningService service;
    private static int port;

    @BeforeAll
    static void start() {
        service = RunningService.start(workDir, Map.of(
                "REQUEST_HEAD_TIMEOUT_SECONDS", "1",
                "KEEP_ALIVE_TIMEOUT_SECONDS", "2",
                "CONNECTIONS_PER_CLIENT", "3"));
        port = service.app.port();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void dribblingAndSilentConnectionsAreClosedWhileOthersAreServed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (String address : new String[]{"127.0.0.40", "127.0.0.41", "127.0.0.42"}) {
                Socket dribbler = connect(address);
                write(dribbler, "GET /auth/soundcloud/result?state=x HTTP/1.1\r\nHost: localhost\r\n");
                slow.add(dribbler);
            }
            slow.add(connect("127.0.0.43")); // says nothing at all
            Loopback other = Loopback.at("127.0.0.44");
            long deadline = System.nanoTime() + 20_000_000_000L;
            int line = 0;
            while (!slow.stream().allMatch(SlowClientTest::closedByServer) && System.nanoTime() < deadline) {
                for (int i = 0; i < 3; i++) {
                    write(slow.get(i), "X-Dribble-" + line + ": " + "d".repeat(10) + "\r\n");
                }
                line++;
                // Everyone else is served meanwhile.
                assertThat(other.get(service.publicBase() + "/openapi").statusCode()).isEqualTo(200);
                Thread.sleep(200);
            }

            assertThat(slow).allMatch(SlowClientTest::closedByServer);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void connectionIdleAfterItsAnswerIsClosedAfterTheKeepAliveBound() throws Exception {
        try (Socket client = connect("127.0.0.45")) {
            write(client, "GET /openapi HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");

            assertThat(closedWithin(client, 20_000)).isTrue();
        }
    }

    @Test
    void clientBeyondItsConnectionCapIsRefusedAndMayConnectAgainOnceItClosesOne() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = connect("127.0.0.46");
                write(socket, "GET /openapi HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
                held.add(socket);
            }

            try (Socket oneMore = connect("127.0.0.46")) {
                String refusal = readAll(oneMore);
                assertThat(refusal).startsWith("HTTP/1.1 429").contains("Retry-After: 1", "too_many_requests");
            }
            assertThat(Loopback.at("127.0.0.47").get(service.publicBase() + "/openapi").statusCode()).isEqualTo(200);

            held.removeFirst().close();
            long deadline = System.nanoTime() + 20_000_000_000L;
            String answer = "";
            while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                try (Socket again = connect("127.0.0.46")) {
                    write(again, "GET /openapi HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                    answer = readAll(again);
                } catch (IOException refusedMeanwhile) {
                    answer = "";
                }
            }
            assertThat(answer).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void oversizedRequestsAreAnsweredBeforeTheCloseNotReset() throws Exception {
        // With the listener's own HTTP/1 configuration beside a discovered default, Helidon closed such a request
        // line without its 414 (the fuzz test found it); a body far over the limit is refused before it is read.
        try (Socket longLine = connect("127.0.0.48")) {
            write(longLine, "GET /auth/soundcloud/result?state=" + "s".repeat(200_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readAll(longLine)).startsWith("HTTP/1.1 414").contains("uri_too_long");
        }
        String body = "{\"refresh_token\":\"" + "r".repeat(300_000) + "\"}";
        try (Socket largeBody = connect("127.0.0.48")) {
            write(largeBody, "POST /auth/soundcloud/refresh HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(readAll(largeBody)).startsWith("HTTP/1.1 413").contains("payload_too_large");
        }
    }

    private static Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return socket;
    }

    private static void write(Socket socket, String text) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException closedAlready) {
            // The server closed it: what the test waits for.
        }
    }

    /** Whether the server has closed the connection: a read sees the end, or a reset. Waits at most 50 ms. */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean closedWithin(Socket socket, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (closedByServer(socket)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String readHead(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        int contentLength = 0;
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(contentLength);
        return head.toString();
    }

    private static String readAll(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        try {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        }
    }
}
