package dev.starlib.auth.http;

import dev.starlib.auth.contract.Exchange;
import dev.starlib.auth.contract.OpenApiContract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no well-behaved client would (bad percent-encoding, bodies of any size), over a plain socket,
 * and reads the answer until the server closes the connection.
 */
final class RawHttp {

    private RawHttp() {
    }

    static Reply send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException serverStoppedReading) {
                // The server may answer and close before it has read everything: read what it said.
            }
            Reply reply = parse(readAll(socket.getInputStream()));
            checkAgainstContract(head, body, reply);
            return reply;
        }
    }

    /** Even a request no client would send gets a documented answer: the contract check sees this exchange too. */
    private static void checkAgainstContract(String head, byte[] body, Reply reply) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        boolean chunked = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Transfer-Encoding")
                && h.getValue().contains("chunked"));
        OpenApiContract.bundled().check(new Exchange(requestLine[0], requestLine[1], headers,
                chunked ? dechunk(body) : body, reply.status(), reply.headers(),
                reply.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The payload of a chunked body; broken framing is passed on as it is (the contract check then refuses it). */
    private static byte[] dechunk(byte[] chunked) {
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int at = 0;
        try {
            while (true) {
                int lineEnd = text.indexOf("\r\n", at);
                int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return payload.toByteArray();
                }
                payload.write(chunked, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
        } catch (RuntimeException brokenFraming) {
            return chunked;
        }
    }

    static Reply get(int port, String target, String... headerLines) throws IOException {
        StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return send(port, head.append("\r\n").toString(), new byte[0]);
    }

    /** Reads one response: the head, then Content-Length bytes of body (or up to the close without one). */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int headEnd = -1;
        int bodyLength = -1;
        try {
            for (int b; (b = in.read()) >= 0; ) {
                all.write(b);
                if (headEnd < 0 && endsWithBlankLine(all)) {
                    headEnd = all.size();
                    bodyLength = contentLength(all.toString(StandardCharsets.ISO_8859_1));
                }
                if (headEnd >= 0 && bodyLength >= 0 && all.size() - headEnd >= bodyLength) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // A reset after the response still leaves the response readable.
        }
        return all.toByteArray();
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream bytes) {
        byte[] b = bytes.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return -1;
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Reply(status, headers, text.substring(end + 4));
    }
}
