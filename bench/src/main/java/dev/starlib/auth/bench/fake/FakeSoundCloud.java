package dev.starlib.auth.bench.fake;

import dev.starlib.auth.bench.fake.FakeCounters.Counter;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fast stand-in for SoundCloud's OAuth endpoints, run by the benchmark in a process of its own so that its CPU
 * is counted apart from the service's. Strict where an honest benchmark needs it: the client secret, PKCE S256
 * ({@link S256}, not the service's code), single-use short-lived codes bound to their redirect URI, single-use
 * rotating refresh tokens, {@code /me} only with a token it issued. It approves every authorization at once (no
 * consent page) and keeps connections alive as long as the client does.
 * <p>
 * {@code java -cp starlib-bench.jar dev.starlib.auth.bench.fake.FakeSoundCloud CLIENT_ID} with the secret in
 * {@code FAKE_CLIENT_SECRET}; it listens on a free loopback port and prints {@code FAKE_SOUNDCLOUD_PORT=<port>}.
 * The benchmark registers each service's redirect URI with {@code POST /_fake/redirect-uris} and reads
 * {@code GET /_fake/stats}.
 */
public final class FakeSoundCloud {

    public static final String PORT_LINE = "FAKE_SOUNDCLOUD_PORT=";
    public static final String TLS_PORT_LINE = "FAKE_SOUNDCLOUD_TLS_PORT=";
    public static final String SECRET_VARIABLE = "FAKE_CLIENT_SECRET";
    /** A PKCS12 key store (and its password): the fake then also serves the same routes over TLS. */
    public static final String TLS_KEY_STORE_VARIABLE = "FAKE_TLS_KEY_STORE";
    public static final String TLS_PASSWORD_VARIABLE = "FAKE_TLS_PASSWORD";

    private final String clientId;
    private final String clientSecret;
    private final FakeGrants grants = new FakeGrants();
    private final FakeCounters counters = new FakeCounters();
    private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();

    private FakeSoundCloud(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        String secret = System.getenv(SECRET_VARIABLE);
        if (args.length != 1 || secret == null || secret.isEmpty()) {
            System.err.println("usage: " + SECRET_VARIABLE + "=<secret> FakeSoundCloud <client id>");
            System.exit(2);
        }
        FakeSoundCloud fake = new FakeSoundCloud(args[0], secret);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(true)
                .routing(fake::routing)
                .build()
                .start();
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fake-sweeper").factory());
        sweeper.scheduleWithFixedDelay(fake.grants::sweep, 10, 10, TimeUnit.SECONDS);
        System.out.println(PORT_LINE + server.port());
        String keyStore = System.getenv(TLS_KEY_STORE_VARIABLE);
        if (keyStore != null) {
            // The same fake (codes, tokens, counters) behind a second listener: the one SoundCloud really has.
            WebServer tls = WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .shutdownHook(true)
                    .tls(Tls.builder().sslContext(serverContext(Path.of(keyStore),
                            System.getenv(TLS_PASSWORD_VARIABLE).toCharArray())).build())
                    .routing(fake::routing)
                    .build()
                    .start();
            System.out.println(TLS_PORT_LINE + tls.port());
        }
        System.out.flush();
    }

    private static SSLContext serverContext(Path keyStore, char[] password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the fake's TLS key store cannot be read: " + e, e);
        }
    }

    private void routing(HttpRouting.Builder routing) {
        routing.any((request, response) -> {
                    counters.sawRequest(request.id());
                    response.next();
                })
                .get("/authorize", this::authorize)
                .post("/oauth/token", this::token)
                .get("/me", this::me)
                .get("/_fake/stats", (request, response) -> json(response, Status.OK_200, counters.json()))
                .post("/_fake/redirect-uris", this::registerRedirectUri);
    }

    /** Approves at once: 302 to the redirect URI with a fresh code and the state, as SoundCloud does after consent. */
    private void authorize(ServerRequest request, ServerResponse response) {
        UriQuery query = request.query();
        String redirectUri = single(query, "redirect_uri");
        String state = single(query, "state");
        String challenge = single(query, "code_challenge");
        boolean valid = clientId.equals(single(query, "client_id"))
                && redirectUri != null && redirectUris.contains(redirectUri)
                && "code".equals(single(query, "response_type"))
                && "S256".equals(single(query, "code_challenge_method"))
                && S256.isChallenge(challenge)
                && state != null && !state.isEmpty();
        if (!valid) {
            counters.count(Counter.REJECTED_AUTHORIZE);
            response.status(Status.BAD_REQUEST_400).send("invalid authorization request");
            return;
        }
        counters.count(Counter.AUTHORIZATIONS);
        String code = grants.issueCode(challenge, redirectUri);
        response.status(Status.FOUND_302)
                .header(HeaderNames.LOCATION, redirectUri + (redirectUri.contains("?") ? "&" : "?")
                        + "code=" + encode(code) + "&state=" + encode(state))
                .send();
    }

    /** RFC 6749 §4.1.3 and §6, with the client authenticated by client_id and client_secret in the form. */
    private void token(ServerRequest request, ServerResponse response) {
        boolean form = request.headers().contentType()
                .filter(type -> type.test(MediaTypes.APPLICATION_FORM_URLENCODED))
                .isPresent();
        Optional<Map<String, String>> parsed = form ? formFields(request.content().as(String.class)) : Optional.empty();
        if (parsed.isEmpty()) {
            counters.count(Counter.REJECTED_REQUEST);
            oauthError(response, Status.BAD_REQUEST_400, "invalid_request");
            return;
        }
        Map<String, String> fields = parsed.get();
        if (!clientId.equals(fields.get("client_id")) || !FakeGrants.sameSecret(fields.get("client_secret"), clientSecret)) {
            counters.count(Counter.REJECTED_CLIENT);
            oauthError(response, Status.UNAUTHORIZED_401, "invalid_client");
            return;
        }
        switch (String.valueOf(fields.get("grant_type"))) {
            case "authorization_code" -> exchangeCode(fields, response);
            case "refresh_token" -> refresh(fields, response);
            default -> {
                counters.count(Counter.REJECTED_REQUEST);
                oauthError(response, Status.BAD_REQUEST_400, "unsupported_grant_type");
            }
        }
    }

    private void exchangeCode(Map<String, String> fields, ServerResponse response) {
        Optional<FakeGrants.Code> code = grants.redeem(fields.get("code"));
        if (code.isEmpty()) {
            counters.count(Counter.REJECTED_CODE);
            oauthError(response, Status.BAD_REQUEST_400, "invalid_grant");
            return;
        }
        if (!code.get().redirectUri().equals(fields.get("redirect_uri"))) {
            counters.count(Counter.REJECTED_REDIRECT_URI);
            oauthError(response, Status.BAD_REQUEST_400, "invalid_grant");
            return;
        }
        if (!S256.verifies(fields.get("code_verifier"), code.get().challenge())) {
            counters.count(Counter.REJECTED_PKCE);
            oauthError(response, Status.BAD_REQUEST_400, "invalid_grant");
            return;
        }
        counters.count(Counter.CODE_EXCHANGES);
        tokens(response, grants.issueTokens());
    }

    private void refresh(Map<String, String> fields, ServerResponse response) {
        Optional<FakeGrants.Issued> issued = grants.rotate(fields.get("refresh_token"));
        if (issued.isEmpty()) {
            counters.count(Counter.REJECTED_REFRESH);
            oauthError(response, Status.BAD_REQUEST_400, "invalid_grant");
            return;
        }
        counters.count(Counter.REFRESHES);
        tokens(response, issued.get());
    }

    /** SoundCloud's scheme is {@code Authorization: OAuth <token>}. */
    private void me(ServerRequest request, ServerResponse response) {
        Optional<FakeGrants.User> user = request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.startsWith("OAuth "))
                .flatMap(value -> grants.userOf(value.substring("OAuth ".length())));
        if (user.isEmpty()) {
            counters.count(Counter.REJECTED_ME);
            json(response, Status.UNAUTHORIZED_401, "{\"code\":401,\"message\":\"invalid_token\"}");
            return;
        }
        counters.count(Counter.ME);
        long id = user.get().id();
        String name = user.get().username();
        json(response, Status.OK_200, "{\"id\":" + id + ",\"urn\":\"soundcloud:users:" + id + "\",\"username\":\""
                + name + "\",\"permalink\":\"" + name + "\",\"avatar_url\":\"https://i1.sndcdn.com/avatars-" + id
                + "-large.jpg\",\"kind\":\"user\"}");
    }

    private void registerRedirectUri(ServerRequest request, ServerResponse response) {
        String uri = request.content().as(String.class).strip();
        redirectUris.add(uri);
        response.status(Status.NO_CONTENT_204).send();
    }

    private static void tokens(ServerResponse response, FakeGrants.Issued issued) {
        // Every value is a base64url token or a number: nothing to escape.
        json(response, Status.OK_200, "{\"access_token\":\"" + issued.accessToken() + "\",\"token_type\":\"bearer\","
                + "\"expires_in\":" + FakeGrants.TOKEN_LIFETIME_SECONDS + ",\"refresh_token\":\""
                + issued.refreshToken() + "\",\"scope\":\"\"}");
    }

    private static void oauthError(ServerResponse response, Status status, String error) {
        json(response, status, "{\"error\":\"" + error + "\"}");
    }

    private static void json(ServerResponse response, Status status, String body) {
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A parameter given exactly once, or null (absent or repeated: RFC 6749 §3.1). */
    private static String single(UriQuery query, String name) {
        if (!query.contains(name)) {
            return null;
        }
        List<String> values = query.all(name);
        return values.size() == 1 ? values.getFirst() : null;
    }

    /** application/x-www-form-urlencoded, each name at most once (RFC 6749 §3.2); empty when malformed. */
    static Optional<Map<String, String>> formFields(String body) {
        Map<String, String> fields = new HashMap<>();
        if (body.isEmpty()) {
            return Optional.of(fields);
        }
        for (String pair : body.split("&", -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            try {
                String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (fields.putIfAbsent(name, value) != null) {
                    return Optional.empty();
                }
            } catch (IllegalArgumentException malformedEscape) {
                return Optional.empty();
            }
        }
        return Optional.of(fields);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
