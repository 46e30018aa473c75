package dev.starlib.auth.soundcloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A server that writes exactly the bytes a test gives it: for answers WireMock will not produce. */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket socket;

    RawHttpServer() throws IOException {
        socket = new ServerSocket(0);
    }

    String origin() {
        return "http://localhost:" + socket.getLocalPort();
    }

    /** Answers one request with {@code response}, then hangs up. */
    void answerOnceAndHangUp(String response) {
        Thread.ofVirtual().start(() -> {
            try (Socket connection = socket.accept()) {
                skipRequestHead(connection.getInputStream());
                connection.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
            } catch (IOException reset) {
                // the client went away first
            }
        });
    }

    /**
     * Answers one request with {@code head}, then a space every 100 ms, for as long as the client listens:
     * each read succeeds quickly, only the whole answer is slow. Completes when the client hangs up.
     */
    CompletableFuture<Void> trickleUntilHangUp(String head) {
        CompletableFuture<Void> hungUp = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket connection = socket.accept()) {
                skipRequestHead(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                out.write(head.getBytes(StandardCharsets.UTF_8));
                while (true) {
                    out.flush();
                    Thread.sleep(100);
                    out.write(' ');
                }
            } catch (IOException hangUp) {
                hungUp.complete(null);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        return hungUp;
    }

    private static void skipRequestHead(InputStream in) throws IOException {
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
