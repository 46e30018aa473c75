package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays a browser and a backend against a sandbox on a real port: no redirects followed, so every 303 and its
 * {@code Location} can be looked at.
 */
final class SandboxBrowser {

    static final String CLIENT_ID = "frontend-test-client";
    static final String CLIENT_SECRET = "s3cret-for-tests";
    static final String REDIRECT_URI = "http://127.0.0.1:8000/auth/soundcloud/redirect";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST_ID = Pattern.compile("name=\"request_id\" value=\"([^\"]+)\"");

    /** One client for all tests: a client per test leaves idle connections that slow every server stop. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;

    SandboxBrowser(URI server, String mountPath) {
        this.base = server.toString().replaceAll("/$", "") + mountPath;
    }

    static SandboxSettings settings(boolean autoApprove) {
        return new SandboxSettings(CLIENT_ID, CLIENT_SECRET, URI.create(REDIRECT_URI), Duration.ofHours(1), autoApprove);
    }

    /** The query the backend puts in its authorization URL, for {@code pkce} and {@code state}. */
    static Map<String, String> authorizeQuery(PkcePair pkce, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", CLIENT_ID);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("response_type", "code");
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        query.put("state", state);
        return query;
    }

    HttpResponse<String> authorize(Map<String, String> query) {
        return get("/authorize?" + encode(query));
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /** {@code method} on {@code path} with no body. */
    HttpResponse<String> send(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) {
        return post(path, "application/x-www-form-urlencoded", encode(form));
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> postWithHeaders(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).headers(headers)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A form post with extra headers, name and value in turn. */
    HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> putJson(String path, String json) {
        return put(path, "application/json", json);
    }

    HttpResponse<String> put(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> postFormWithTimeout(String path, Map<String, String> form, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the consent page for a fresh request and answers it; returns the 303. */
    HttpResponse<String> consent(PkcePair pkce, String state, String decision, long userId) {
        HttpResponse<String> page = authorize(authorizeQuery(pkce, state));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("request_id", requestId(page.body()));
        form.put("user_id", Long.toString(userId));
        form.put("decision", decision);
        return postForm("/authorize", form);
    }

    /** A code for the default user, through {@code prompt=none}. */
    String code(PkcePair pkce) {
        Map<String, String> query = authorizeQuery(pkce, "state-for-code");
        query.put("prompt", "none");
        return redirectParameters(authorize(query)).get("code");
    }

    HttpResponse<String> exchange(String code, String verifier) {
        Map<String, String> form = tokenForm("authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT_URI);
        form.put("code_verifier", verifier);
        return postForm("/oauth/token", form);
    }

    HttpResponse<String> refresh(String refreshToken) {
        Map<String, String> form = tokenForm("refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("redirect_uri", REDIRECT_URI);
        return postForm("/oauth/token", form);
    }

    /** A fresh token response for the default user. */
    JsonNode tokens() {
        PkcePair pkce = PkcePair.generate();
        HttpResponse<String> response = exchange(code(pkce), pkce.verifier());
        if (response.statusCode() != 200) {
            throw new AssertionError("token exchange failed: " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> me(String authorization) {
        return get("/me", "Authorization", authorization);
    }

    static Map<String, String> tokenForm(String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        form.put("client_id", CLIENT_ID);
        form.put("client_secret", CLIENT_SECRET);
        return form;
    }

    static String requestId(String consentPage) {
        Matcher matcher = REQUEST_ID.matcher(consentPage);
        if (!matcher.find()) {
            throw new AssertionError("no request_id on the page: " + consentPage);
        }
        return matcher.group(1);
    }

    /** The decoded query parameters of a 303's {@code Location}. */
    static Map<String, String> redirectParameters(HttpResponse<String> redirect) {
        if (redirect.statusCode() != 303) {
            throw new AssertionError("expected a 303, got " + redirect.statusCode() + ": " + redirect.body());
        }
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    static String withoutQuery(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return location.substring(0, location.indexOf('?'));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
