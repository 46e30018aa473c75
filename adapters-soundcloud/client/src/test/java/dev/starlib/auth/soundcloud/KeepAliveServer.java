package dev.starlib.auth.soundcloud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server that keeps connections open and does to each request what the test scripted: answer it,
 * answer and then reset the connection, or read it whole and hang up without an answer. It records every request
 * it read with the connection it came on, and closes a connection that idles longer than its idle timeout, as
 * SoundCloud's servers do.
 */
final class KeepAliveServer implements AutoCloseable {

    /** What the server does with the next request it reads. */
    sealed interface Act {
        /** Answers with {@code json} (framed by Content-Length) and keeps the connection. */
        record Answer(String json) implements Act {
        }

        /** Answers, then resets the connection (SO_LINGER 0): the client's socket is dead before it is used again. */
        record AnswerThenReset(String json) implements Act {
        }

        /** Has read the request to its last byte, then closes without a word: the request may have been processed. */
        record HangUpAfterReading() implements Act {
        }

        /** Answers after {@code delay}, and keeps the connection if the client does. */
        record AnswerAfter(String json, Duration delay) implements Act {
        }
    }

    record Request(int connection, String line, String body) {
    }

    private final ServerSocket socket = new ServerSocket(0);
    private final Duration idleTimeout;
    private final Queue<Act> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final String defaultJson;

    /** Answers every request not scripted with {@code defaultJson}; closes connections idle for {@code idleTimeout}. */
    KeepAliveServer(String defaultJson, Duration idleTimeout) throws IOException {
        this.defaultJson = defaultJson;
        this.idleTimeout = idleTimeout;
        Thread.ofVirtual().name("keep-alive-server").start(this::acceptAll);
    }

    String origin() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** What the next requests get, in order; the ones after get the default answer. */
    KeepAliveServer then(Act act) {
        script.add(act);
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections the server closed because they idled longer than its idle timeout. */
    int closedIdle() {
        return closedIdle.get();
    }

    /** Connections reset after {@link Act.AnswerThenReset}: done once the client's side is dead. */
    int resets() {
        return resets.get();
    }

    /** Connections the client closed while the server waited for their next request. */
    int closedByClient() {
        return closedByClient.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                int index = accepted.incrementAndGet();
                Thread.ofVirtual().name("keep-alive-connection-" + index).start(() -> serve(connection, index));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection, int index) {
        try (connection) {
            connection.setSoTimeout((int) idleTimeout.toMillis());
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                Request request;
                try {
                    request = read(in, index);
                } catch (SocketTimeoutException idle) {
                    closedIdle.incrementAndGet();
                    return;
                }
                if (request == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                requests.add(request);
                Act act = script.poll();
                switch (act == null ? new Act.Answer(defaultJson) : act) {
                    case Act.Answer answer -> answer(out, answer.json());
                    case Act.AnswerThenReset reset -> {
                        answer(out, reset.json());
                        connection.setSoLinger(true, 0);
                        connection.close();
                        resets.incrementAndGet();
                        return;
                    }
                    case Act.HangUpAfterReading hangUp -> {
                        return;
                    }
                    case Act.AnswerAfter late -> {
                        try {
                            Thread.sleep(late.delay());
                        } catch (InterruptedException stopped) {
                            return;
                        }
                        answer(out, late.json());
                    }
                }
            }
        } catch (IOException gone) {
            // the client reset it
        }
    }

    private static void answer(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The next request on the connection, head and body; null when the client closed it first. */
    private static Request read(InputStream in, int index) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return null;
        }
        return new Request(index, lines[0], new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
