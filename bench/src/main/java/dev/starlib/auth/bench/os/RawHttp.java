package dev.starlib.auth.bench.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The cheapest possible "does it answer 200 yet?": one connection, one request, the status line. Used to time a
 * start to the millisecond while costing the starting service as little CPU as possible.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status code of {@code GET path}, or -1 when nothing answers (yet). */
    public static int status(String host, int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] line = new byte[12];
            int read = in.readNBytes(line, 0, line.length);
            if (read < 12) {
                return -1;
            }
            String status = new String(line, StandardCharsets.US_ASCII); // "HTTP/1.1 200"
            return status.startsWith("HTTP/1.") ? Integer.parseInt(status.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A port nobody listens on right now (the usual race applies; callers retry a start that lost it). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port", e);
        }
    }
}
