package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.SessionEnd;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.soundcloud.BoundedExchange.Reply;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * SoundCloud's token endpoint (user grants and the app's own client-credentials token), {@code /me} and
 * {@code /sign-out} over Helidon's HTTP/1.1 client. Each call is made once, on a kept-alive connection young enough
 * to be open or on a fresh one ({@link SoundCloudConnections}, decision 0003), within
 * {@link SoundCloudSettings#timeout()} (a user's refresh within {@link SoundCloudSettings#refreshTimeout()}), and
 * ends as an {@link UpstreamResult} that is also reported to {@link AuthEvents}. Codes, verifiers, tokens, the
 * secret and bodies are never logged.
 */
public final class SoundCloudClient implements SoundCloud, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SoundCloudClient.class.getName());

    private final SoundCloudSettings settings;
    private final AuthEvents events;
    private final Http1Client http;
    private final SoundCloudConnections connections;
    private final BoundedExchange exchange;
    private final BoundedExchange refreshExchange;
    private final Clock clock = Clock.systemUTC();

    public SoundCloudClient(SoundCloudSettings settings, AuthEvents events) {
        this(settings, events, System::nanoTime, ClientConnection::isConnected);
    }

    /** With the pool's clock and its view of whether an idle connection is still open under the test's control. */
    SoundCloudClient(SoundCloudSettings settings, AuthEvents events, LongSupplier nanoClock,
                     Predicate<ClientConnection> looksOpen) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        WebClient webClient = WebClient.builder()
                // Per connect and per socket read only; BoundedExchange holds the whole call to the timeout.
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                // A redirect would resend the code or refresh token somewhere else: never follow one.
                .followRedirects(false)
                // Without reuse the request says so (Connection: close), and SoundCloud need not keep it open.
                .keepAlive(!settings.keepAlive().isZero())
                // Connections are lent by SoundCloudConnections, never by Helidon's cache.
                .shareConnectionCache(false)
                .build();
        this.connections = new SoundCloudConnections(webClient, settings.keepAlive(), nanoClock, looksOpen);
        this.exchange = new BoundedExchange(settings.timeout(), connections);
        this.refreshExchange = new BoundedExchange(settings.refreshTimeout(), connections);
        this.http = webClient.client(Http1Client.PROTOCOL);
    }

    /** How many connections to SoundCloud this client has opened. */
    long connectionsOpened() {
        return connections.opened();
    }

    /** How many idle connections to SoundCloud are kept and not seen closed. */
    int idleConnectionsLookingOpen() {
        return connections.idleLookingOpen();
    }

    /** Closes the idle connections; a call in flight closes its own when it ends. */
    @Override
    public void close() {
        connections.close();
    }

    @Override
    public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code.value());
        form.put("redirect_uri", settings.redirectUri().toString());
        form.put("code_verifier", verifier.value());
        return call(UpstreamEndpoint.TOKEN_EXCHANGE, "POST", exchange, settings.tokenEndpoint(),
                connection -> postToken(connection, form, settings.timeout()),
                TokenResponse::ofCodeExchange);
    }

    @Override
    public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.value());
        form.put("redirect_uri", settings.redirectUri().toString());
        // The refresh may outlast its client's wait: its answer is then remembered for the client's retry.
        return call(UpstreamEndpoint.TOKEN_REFRESH, "POST", refreshExchange, settings.tokenEndpoint(),
                connection -> postToken(connection, form, settings.refreshTimeout()),
                body -> TokenResponse.ofRefresh(body, refreshToken));
    }

    @Override
    public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
        return call(UpstreamEndpoint.ME, "GET", exchange, settings.meEndpoint(), connection -> http.get()
                .uri(settings.meEndpoint())
                .connection(connection)
                .header(HeaderNames.AUTHORIZATION, "OAuth " + accessToken.value()) // SoundCloud's scheme, not Bearer
                .accept(MediaTypes.APPLICATION_JSON)
                .request(), UserResponse::read);
    }

    /**
     * {@code POST /sign-out} on the API host with {@code Authorization: OAuth <token>} and no body, as SoundCloud's
     * OpenAPI document has it. A 2xx ended the session; a 401 says the token was no longer valid, so the session is
     * gone as well.
     */
    @Override
    public UpstreamResult<SessionEnd> signOut(AccessToken accessToken) {
        return call(UpstreamEndpoint.SIGN_OUT, "POST", exchange, settings.signOutEndpoint(), connection -> http.post()
                .uri(settings.signOutEndpoint())
                .connection(connection)
                .header(HeaderNames.AUTHORIZATION, "OAuth " + accessToken.value())
                .accept(MediaTypes.APPLICATION_JSON)
                .request(), body -> new UpstreamResult.Success<>(SessionEnd.ENDED));
    }

    /**
     * {@code grant_type=client_credentials} with the client credentials in HTTP Basic authentication, as SoundCloud's
     * guide asks for this grant (and its staff confirmed in soundcloud/api#339); the body then carries the grant type
     * only, since a request may use one way of authenticating the client (RFC 6749 §2.3).
     */
    @Override
    public UpstreamResult<AppTokenGrant> grantAppToken() {
        Map<String, String> form = Map.of("grant_type", "client_credentials");
        return call(UpstreamEndpoint.APP_TOKEN_GRANT, "POST", exchange, settings.tokenEndpoint(), connection -> http.post()
                .uri(settings.tokenEndpoint())
                .connection(connection)
                .header(HeaderNames.AUTHORIZATION, basicCredentials())
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .accept(MediaTypes.APPLICATION_JSON)
                .submit(FormBody.encode(form)), TokenResponse::ofAppGrant);
    }

    /** The refresh grant as for a user's token, with the client credentials in the body as SoundCloud documents it. */
    @Override
    public UpstreamResult<AppTokenGrant> refreshAppToken(RefreshToken refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.value());
        form.put("redirect_uri", settings.redirectUri().toString());
        return call(UpstreamEndpoint.APP_TOKEN_REFRESH, "POST", exchange, settings.tokenEndpoint(),
                connection -> postToken(connection, form, settings.timeout()),
                body -> TokenResponse.ofAppRefresh(body, refreshToken));
    }

    /** RFC 6749 §2.3.1: each part form-encoded, then {@code id:secret} in base64. */
    private String basicCredentials() {
        String pair = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(settings.clientSecret().value(), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private HttpClientResponse postToken(ClientConnection connection, Map<String, String> grant, Duration readTimeout) {
        Map<String, String> form = new LinkedHashMap<>(grant);
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret().value());
        return http.post()
                .uri(settings.tokenEndpoint())
                .connection(connection)
                .readTimeout(readTimeout)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .accept(MediaTypes.APPLICATION_JSON)
                .submit(FormBody.encode(form));
    }

    private <T> UpstreamResult<T> call(UpstreamEndpoint endpoint, String method, BoundedExchange bounded, URI target,
                                       Function<ClientConnection, HttpClientResponse> send,
                                       Function<byte[], UpstreamResult<T>> readSuccess) {
        long started = System.nanoTime();
        Reply reply = bounded.run(target, send);
        UpstreamResult<T> result = endpoint == UpstreamEndpoint.SIGN_OUT
                ? signOutAnswer(reply, readSuccess)
                : interpret(reply, readSuccess, clock);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        events.upstreamCall(endpoint, outcome(result), took);
        log(method, endpoint, reply, result, took);
        return result;
    }

    /**
     * A sign-out's 401 is an answer, not a failure: SoundCloud no longer knows the token, so there is no session to
     * end. The rest reads like any call.
     */
    @SuppressWarnings("unchecked")
    private <T> UpstreamResult<T> signOutAnswer(Reply reply, Function<byte[], UpstreamResult<T>> readSuccess) {
        if (reply instanceof Reply.Answered answered && answered.status() == 401) {
            return (UpstreamResult<T>) new UpstreamResult.Success<>(SessionEnd.ALREADY_INVALID);
        }
        return interpret(reply, readSuccess, clock);
    }

    /** Every way an exchange can end, mapped on purpose: only a readable 2xx succeeds, and a 429 is never a refusal. */
    private static <T> UpstreamResult<T> interpret(Reply reply, Function<byte[], UpstreamResult<T>> readSuccess,
                                                   Clock clock) {
        return switch (reply) {
            case Reply.Answered answered when isSuccess(answered.status()) -> readSuccess.apply(answered.body());
            case Reply.Answered answered when answered.status() == 429 -> new UpstreamResult.RateLimited<>(
                    RateLimitReset.of(answered.retryAfter(), answered.body(), clock.instant()));
            case Reply.Answered answered when isOAuthError(answered.status()) -> OAuthError.code(answered.body())
                    .<UpstreamResult<T>>map(error -> new UpstreamResult.Rejected<>(error, answered.status()))
                    .orElseGet(() -> httpStatus(answered.status()));
            case Reply.Answered answered -> httpStatus(answered.status());
            case Reply.Oversized oversized when oversized.status() == 429 ->
                    new UpstreamResult.RateLimited<>(Optional.empty());
            case Reply.Oversized oversized -> isSuccess(oversized.status())
                    ? new UpstreamResult.Unavailable<>("response too large")
                    : httpStatus(oversized.status());
            case Reply.Failed failed -> new UpstreamResult.Unavailable<>(failed.reason());
            case Reply.TimedOut timedOut -> new UpstreamResult.TimedOut<>();
        };
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** RFC 6749 §5.2: 400, or 401 when client authentication failed. */
    private static boolean isOAuthError(int status) {
        return status == 400 || status == 401;
    }

    private static <T> UpstreamResult<T> httpStatus(int status) {
        return new UpstreamResult.Unavailable<>("HTTP " + status);
    }

    private static String outcome(UpstreamResult<?> result) {
        return switch (result) {
            case UpstreamResult.Success<?> success -> "success";
            case UpstreamResult.Rejected<?> rejected -> "rejected";
            case UpstreamResult.Unavailable<?> unavailable -> "unavailable";
            case UpstreamResult.TimedOut<?> timedOut -> "timeout";
            case UpstreamResult.RateLimited<?> limited -> "rate_limited";
        };
    }

    private static void log(String method, UpstreamEndpoint endpoint, Reply reply, UpstreamResult<?> result,
                            Duration took) {
        String status = switch (reply) {
            case Reply.Answered answered -> "HTTP " + answered.status();
            case Reply.Oversized oversized -> "HTTP " + oversized.status();
            case Reply.Failed failed -> "no answer";
            case Reply.TimedOut timedOut -> "no answer";
        };
        // Only fixed words and numbers: the error code is already reduced to a safe token, reasons are ours.
        String detail = switch (result) {
            case UpstreamResult.Success<?> success -> "success";
            case UpstreamResult.Rejected<?> rejected -> "rejected " + rejected.error();
            case UpstreamResult.Unavailable<?> unavailable -> "unavailable: " + unavailable.reason();
            case UpstreamResult.TimedOut<?> timedOut -> "timeout";
            case UpstreamResult.RateLimited<?> limited -> "rate limited"
                    + limited.retryAfter().map(wait -> " for " + wait.toSeconds() + " s").orElse("");
        };
        Level level = result instanceof UpstreamResult.Success<?> ? Level.DEBUG
                : result instanceof UpstreamResult.Rejected<?> || result instanceof UpstreamResult.RateLimited<?>
                ? Level.INFO : Level.WARNING;
        LOG.log(level, "SoundCloud {0} {1}: {2}, {3}, {4} ms", method, endpoint.label(), status, detail, took.toMillis());
    }
}
