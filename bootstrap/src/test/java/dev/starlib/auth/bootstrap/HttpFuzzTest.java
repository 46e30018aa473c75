package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starlib.auth.contract.Exchange;
import dev.starlib.auth.contract.OpenApiContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against the real server: {@value #DEFAULT_REQUESTS} seeded random requests (random methods and
 * paths, repeated and malformed parameters, odd encodings, control characters, huge values, wrong content types,
 * broken JSON and chunking, hostile Origin and forwarding headers) from several loopback addresses. Every answer
 * must be below 500, name no class and show no stack trace, be a problem body when it is an error (under
 * {@code /auth/soundcloud} always; elsewhere a browser may get a small page instead), and match the contract; afterwards users still sign in, and the heap has not grown past a bound.
 * <p>
 * The seed is printed; replay a run with {@code -Dfuzz.seed=<seed>} (and {@code -Dfuzz.requests=<n>}). Request
 * {@code i} is generated from the seed and {@code i} alone, so a failure names the one request to replay
 * ({@code -Dfuzz.only=<i>}).
 */
class HttpFuzzTest {

    static final int DEFAULT_REQUESTS = 10_000;
    /** {@code -Dfuzz.only=<i>}: replay request i of the seed alone (the others are skipped). */
    private static final int ONLY = Integer.getInteger("fuzz.only", -1);
    private static final int WORKERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|io\\.helidon|dev\\.starlib|java\\.(lang|io|util)\\.|jdk\\.internal");
    private static final String[] ENDPOINTS = {"authorize", "redirect", "result", "callback", "refresh", "done",
            "sign-out", "", "unknown", "authorize/extra", "%2e%2e", "..", "AUTHORIZE", "result;x=1"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "OPTIONS", "PUT", "DELETE", "HEAD",
            "PATCH", "TRACE", "BREW", "get"};
    private static final String[] PARAMETERS = {"state", "code", "error", "error_description", "return_to", "x", ""};
    private static final String[] ODD_VALUES = {"%ZZ", "%", "%0", "%00", "%0A%0D", "%C0%AF", "%E2%80%AE", "%F0%9F%98%80",
            "%FF%FE", "+", "%2B", "..%2F..%2F", "javascript:alert(1)", "http://evil.example", "http://localhost:3000@evil",
            "tauri://localhost/cb", "http://localhost:3000/auth/soundcloud/callback", "\u00e9", "a".repeat(3000),
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "null", "[]", "{}", "%5B%5D", "&&&", "==="};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json; charset=latin1", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
            "application/problem+json", "application/JSON", "json", "", "application/json;;;", "*/*"};
    private static final String[] BODIES = {"{}", "{\"code\":\"c\",\"state\":\"s\"}", "{\"refresh_token\":\"r\"}",
            "{\"access_token\":\"a\",\"refresh_token\":\"r\"}", "{\"access_token\":\"a\"}", "{\"access_token\":1}",
            "{\"code\":1,\"state\":[]}", "{\"code\":\"c\",\"code\":\"d\"}", "[", "{\"a\":", "null", "\"string\"", "1e999",
            "{\"refresh_token\":null}", "{}{}", "\u0000\u0001", "{\"refresh_token\":\"" + "r".repeat(5000) + "\"}",
            "<xml/>", "{\"state\":\"\\ud800\"}", ""};
    private static final String[] ORIGINS = {"http://localhost:3000", "https://evil.example", "null", "tauri://localhost",
            "http://localhost:3000, https://evil.example", "http://localhost:99999", "file://", "\u00ff", "*"};

    @TempDir
    static Path workDir;
    private static RunningService service;
    private static long seed;
    private static int requests;

    @BeforeAll
    static void start() {
        seed = Long.getLong("fuzz.seed", new Random().nextLong());
        requests = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        System.out.println("HttpFuzzTest: seed=" + seed + ", " + requests + " requests (replay: -Dfuzz.seed=" + seed + ")");
        Map<String, String> generous = new LinkedHashMap<>();
        for (String variable : SettingsLoader.RATE_LIMITED_ENDPOINTS.values()) {
            generous.put(variable, "100000/min"); // most hostile requests should reach the routes, not the throttle
        }
        generous.put("PENDING_PER_CLIENT", "5");
        generous.put("TRUSTED_PROXIES", "127.0.2.1");
        service = RunningService.start(workDir, generous);
        service.soundCloudApproves();
        // SoundCloud ends every session it is asked to: a 5xx seen here is then ours, never SoundCloud's passed on.
        service.soundCloud.stubFor(post(urlEqualTo("/sign-out")).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void hostileRequestsGetDocumentedAnswersAndUsersStillSignIn() throws Exception {
        long heapBefore = usedHeapAfterGc();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    for (int i = worker; i < requests && failures.size() < 20; i += WORKERS) {
                        if (ONLY >= 0 && i != ONLY) {
                            answered.incrementAndGet();
                            continue;
                        }
                        String problem = exchange(i);
                        if (problem != null) {
                            failures.add("request " + i + " (seed " + seed + "): " + problem);
                        }
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(failures).as("replay with -Dfuzz.seed=" + seed).isEmpty();
        assertThat(answered.get()).isEqualTo(requests);
        assertThat(Loopback.at("127.0.0.60").signIn(service.publicBase() + "/auth/soundcloud").statusCode())
                .as("a user still signs in after the fuzz").isEqualTo(200);
        long grown = usedHeapAfterGc() - heapBefore;
        System.out.println("HttpFuzzTest: heap grew by " + grown / 1024 + " KiB over " + requests + " requests; "
                + CHECKED_SHAPES.size() + " answer shapes checked against the contract");
        assertThat(grown).as("heap growth, bytes").isLessThan(64L * 1024 * 1024);
    }

    /** Sends request {@code i}; the reason it broke a rule, or null. */
    private static String exchange(int i) {
        Random random = new Random(seed * 1_000_003L + i);
        Request request = Request.random(random);
        if (ONLY == i) {
            System.out.println("HttpFuzzTest: request " + i + " from " + request.from + ":\n"
                    + new String(request.bytes(), StandardCharsets.UTF_8).replaceAll("(.{200}).*", "$1…"));
        }
        byte[] raw;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(request.from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), service.app.port()), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
                socket.shutdownOutput();
            } catch (IOException stoppedReading) {
                // The server may answer and close before it has read everything.
            }
            raw = readAll(socket.getInputStream());
        } catch (IOException e) {
            return "no answer: " + e + " to " + request.describe();
        }
        if (raw.length == 0) {
            return "connection closed without an answer to " + request.describe();
        }
        Response response = Response.parse(raw);
        if (response == null) {
            return "not an HTTP response to " + request.describe() + ": "
                    + new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.ISO_8859_1);
        }
        if (response.status >= 500) {
            return response.status + " to " + request.describe() + ": " + response.body;
        }
        if (LEAK.matcher(response.body).find() && !(request.path.equals("/openapi") && response.status == 200)) {
            return "the body names a class or shows a stack trace, to " + request.describe() + ": " + response.body;
        }
        // Under the API every error is a problem; outside it (/auth/other, /) a problem too, or a page for a browser.
        String routed = routed(request.path);
        boolean api = routed.equals("/auth/soundcloud") || routed.startsWith("/auth/soundcloud/");
        if (response.status >= 400 && (api ? !isBrowserPage(response) : !isHtml(response))) {
            String type = response.headers.getOrDefault("content-type", List.of("")).getFirst();
            if (!type.startsWith("application/problem+json")) {
                return response.status + " " + type + " (not a problem) to " + request.describe();
            }
            try {
                JsonNode problem = JSON.readTree(response.body);
                if (!problem.path("error").isTextual() || problem.path("status").asInt() != response.status) {
                    return "a malformed problem to " + request.describe() + ": " + response.body;
                }
            } catch (IOException e) {
                return "a problem body that is not JSON to " + request.describe() + ": " + response.body;
            }
        }
        return contractViolation(request, response);
    }

    /** The path as the server routes it: {@code /auth/soundcloud/..} is {@code /auth/}, outside the API. */
    private static String routed(String path) {
        try {
            String normalized = java.net.URI.create("http://host" + path).normalize().getRawPath();
            return normalized == null ? path : normalized;
        } catch (IllegalArgumentException notAUri) {
            return path;
        }
    }

    private static boolean isHtml(Response response) {
        return response.headers.getOrDefault("content-type", List.of("")).getFirst().startsWith("text/html");
    }

    /** /redirect answers a refused state with a small HTML page to browsers, as the contract documents. */
    private static boolean isBrowserPage(Response response) {
        return response.status == 400 && response.headers.getOrDefault("content-type", List.of(""))
                .getFirst().startsWith("text/html");
    }

    private static String contractViolation(Request request, Response response) {
        if (!request.checkable()) {
            return null;
        }
        // The validator is slow (about 4 ms an exchange); answers of one shape are checked once. -Dfuzz.contract=all
        // checks every one.
        if (!"all".equals(System.getProperty("fuzz.contract")) && !CHECKED_SHAPES.add(shape(request, response))) {
            return null;
        }
        try {
            OpenApiContract.bundled().check(new Exchange(request.method, request.target(), request.headerMap(),
                    request.body, response.status, response.headers, response.body.getBytes(StandardCharsets.UTF_8)));
            return null;
        } catch (AssertionError violation) {
            return violation.getMessage() + " (" + request.describe() + ")";
        }
    }

    private static final java.util.Set<String> CHECKED_SHAPES = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Set<String> VOLATILE_HEADERS = java.util.Set.of("date", "content-length",
            "retry-after", "access-control-allow-origin");

    /**
     * What the contract constrains of an exchange, less the values that vary from answer to answer: the method,
     * the routed path, which parameters and headers were sent, the status, the error code, the response headers.
     */
    private static String shape(Request request, Response response) {
        String error = "";
        try {
            error = JSON.readTree(response.body).path("error").asText("");
        } catch (IOException notJson) {
            // the contract check will say what it is
        }
        java.util.TreeMap<String, List<String>> headers = new java.util.TreeMap<>(response.headers);
        VOLATILE_HEADERS.forEach(headers::remove);
        String parameters = java.util.Arrays.stream(request.query.split("&"))
                .map(pair -> pair.split("=", 2)[0]).distinct().sorted().toList().toString();
        String contentType = request.headerMap().getOrDefault("Content-Type", List.of("")).getFirst();
        return request.method + " " + request.path.replaceAll(";[^/]*", "") + " " + parameters + " " + contentType
                + " body=" + (request.body.length > 0) + " -> " + response.status + " " + error + " "
                + headers.keySet() + headers.getOrDefault("allow", List.of());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the answer leaves the answer readable.
        }
        return all.toByteArray();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One random request, with what the contract check needs to know about it. */
    private record Request(String from, String method, String path, String query, List<String[]> headers, byte[] body,
                           boolean chunked, boolean wellFramed) {

        static Request random(Random random) {
            String from = "127.0." + (random.nextInt(4) == 0 ? "2.1" : "1." + (1 + random.nextInt(40)));
            String method = pick(random, METHODS);
            String path = switch (random.nextInt(10)) {
                case 0 -> "/openapi";
                case 1 -> "/auth/" + pick(random, new String[]{"", "other", "soundcloud", "SoundCloud/authorize"});
                case 2 -> "/auth/soundcloud/" + pick(random, ODD_VALUES).replace(' ', '_');
                default -> "/auth/soundcloud/" + pick(random, ENDPOINTS);
            };
            StringBuilder query = new StringBuilder();
            int parameters = random.nextInt(5);
            for (int p = 0; p < parameters; p++) {
                query.append(p == 0 ? "" : "&").append(pick(random, PARAMETERS));
                if (random.nextInt(6) > 0) {
                    query.append('=').append(random.nextBoolean() ? pick(random, ODD_VALUES) : token(random));
                }
            }
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[]{"Host", "localhost"});
            headers.add(new String[]{"Connection", "close"});
            if (random.nextBoolean()) {
                headers.add(new String[]{"Origin", pick(random, ORIGINS)});
            }
            if (random.nextInt(3) == 0) {
                headers.add(new String[]{"Access-Control-Request-Method", pick(random, METHODS)});
            }
            if (random.nextInt(4) == 0) {
                headers.add(new String[]{"Accept", pick(random, new String[]{"text/html", "application/json", "*/*",
                        "text/html;q=0.1, application/json;q=0.9", ";;;", "application/yaml"})});
            }
            if (random.nextInt(4) == 0) {
                headers.add(new String[]{"X-Forwarded-For", pick(random, new String[]{"198.51.100.7", "unknown",
                        "1.2.3.4, 5.6.7.8", "::1", "evil.example", "[2001:db8::1]:80", ""})});
            }
            if (random.nextInt(20) == 0) {
                headers.add(new String[]{"X-Huge", "h".repeat(random.nextInt(20_000))});
            }
            byte[] body = new byte[0];
            boolean chunked = false;
            boolean wellFramed = true;
            if (method.equals("POST") || random.nextInt(10) == 0) {
                String type = pick(random, CONTENT_TYPES);
                if (!type.isEmpty()) {
                    headers.add(new String[]{"Content-Type", type});
                }
                body = pick(random, BODIES).getBytes(StandardCharsets.UTF_8);
                switch (random.nextInt(8)) {
                    case 0 -> chunked = true;
                    case 1 -> {
                        headers.add(new String[]{"Content-Length", pick(random, new String[]{"-1", "abc", "99999999999",
                                String.valueOf(body.length + 10), "1, 2"})});
                        wellFramed = false;
                    }
                    default -> headers.add(new String[]{"Content-Length", String.valueOf(body.length)});
                }
                if (chunked) {
                    headers.add(new String[]{"Transfer-Encoding", "chunked"});
                }
            }
            if (random.nextInt(30) == 0) {
                headers.add(new String[]{"Bad\u0001Header", "x"});
                wellFramed = false;
            }
            return new Request(from, method, path, query.toString(), headers, body, chunked, wellFramed);
        }

        String target() {
            return path + (query.isEmpty() ? "" : "?" + query);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(target()).append(" HTTP/1.1\r\n");
            for (String[] header : headers) {
                head.append(header[0]).append(": ").append(header[1]).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            if (chunked) {
                out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        Map<String, List<String>> headerMap() {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (String[] header : headers) {
                map.computeIfAbsent(header[0], k -> new ArrayList<>()).add(header[1]);
            }
            return map;
        }

        /** The contract validator reads standard methods and ASCII targets; framing errors have no request to read. */
        boolean checkable() {
            return wellFramed && List.of("GET", "POST", "OPTIONS", "PUT", "DELETE", "HEAD", "PATCH", "TRACE").contains(method)
                    && target().chars().allMatch(c -> c > 0x20 && c < 0x7f)
                    && headers.stream().allMatch(h -> h[1].chars().allMatch(c -> c >= 0x20 && c < 0x7f));
        }

        String describe() {
            String text = method + " " + target();
            return (text.length() > 160 ? text.substring(0, 160) + "…" : text) + " from " + from
                    + (body.length > 0 ? " with " + body.length + " body bytes" : "")
                    + headerMap().getOrDefault("Content-Type", List.of()).stream().map(t -> " as '" + t + "'")
                    .findFirst().orElse("");
        }

        private static String pick(Random random, String[] options) {
            return options[random.nextInt(options.length)];
        }

        private static String token(Random random) {
            StringBuilder token = new StringBuilder();
            int length = random.nextInt(50);
            for (int c = 0; c < length; c++) {
                token.append("AZaz09-._~!$'()*,;:@/?"
                        .charAt(random.nextInt(22)));
            }
            return token.toString();
        }
    }

    private record Response(int status, Map<String, List<String>> headers, String body) {

        static Response parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0 || !text.startsWith("HTTP/1.1 ")) {
                return null;
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
            }
            String body = text.substring(end + 4);
            List<String> length = headers.get("content-length");
            if (length != null) {
                int n = Integer.parseInt(length.getFirst());
                byte[] bodyBytes = text.substring(end + 4).getBytes(StandardCharsets.UTF_8);
                body = new String(bodyBytes, 0, Math.min(n, bodyBytes.length), StandardCharsets.UTF_8);
            }
            return new Response(status, headers, body);
        }
    }
}
