package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud;
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
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;

import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * SoundCloud's token endpoint (user grants and the app's own client-credentials token) and {@code /me} over
 * Helidon's HTTP/1.1 client. Each call is made once, on a
 * fresh connection, within {@link SoundCloudSettings#timeout()}, and ends as an {@link UpstreamResult} that
 * is also reported to {@link AuthEvents}. Codes, verifiers, tokens, the secret and bodies are never logged.
 */
public final class SoundCloudClient implements SoundCloud {

    private static final System.Logger LOG = System.getLogger(SoundCloudClient.class.getName());

    private final SoundCloudSettings settings;
    private final AuthEvents events;
    private final Http1Client http;
    private final BoundedExchange exchange;

    public SoundCloudClient(SoundCloudSettings settings, AuthEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.exchange = new BoundedExchange(settings.timeout());
        this.http = Http1Client.builder()
                // Per connect and per socket read only; BoundedExchange holds the whole call to the timeout.
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                // A redirect would resend the code or refresh token somewhere else: never follow one.
                .followRedirects(false)
                // Logins are rare: a fresh connection per call means a stale pooled one can never fail a
                // single-use code, and an abandoned exchange can never leave a half-read one behind.
                .keepAlive(false)
                .shareConnectionCache(false)
                .build();
    }

    @Override
    public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code.value());
        form.put("redirect_uri", settings.redirectUri().toString());
        form.put("code_verifier", verifier.value());
        return call(UpstreamEndpoint.TOKEN_EXCHANGE, "POST", () -> postToken(form), TokenResponse::ofCodeExchange);
    }

    @Override
    public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.value());
        form.put("redirect_uri", settings.redirectUri().toString());
        return call(UpstreamEndpoint.TOKEN_REFRESH, "POST", () -> postToken(form),
                body -> TokenResponse.ofRefresh(body, refreshToken));
    }

    @Override
    public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
        return call(UpstreamEndpoint.ME, "GET", () -> http.get()
                .uri(settings.meEndpoint())
                .header(HeaderNames.AUTHORIZATION, "OAuth " + accessToken.value()) // SoundCloud's scheme, not Bearer
                .accept(MediaTypes.APPLICATION_JSON)
                .request(), UserResponse::read);
    }

    /**
     * {@code grant_type=client_credentials} with the client credentials in HTTP Basic authentication, as SoundCloud's
     * guide asks for this grant (and its staff confirmed in soundcloud/api#339); the body then carries the grant type
     * only, since a request may use one way of authenticating the client (RFC 6749 §2.3).
     */
    @Override
    public UpstreamResult<AppTokenGrant> grantAppToken() {
        Map<String, String> form = Map.of("grant_type", "client_credentials");
        return call(UpstreamEndpoint.APP_TOKEN_GRANT, "POST", () -> http.post()
                .uri(settings.tokenEndpoint())
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
        return call(UpstreamEndpoint.APP_TOKEN_REFRESH, "POST", () -> postToken(form),
                body -> TokenResponse.ofAppRefresh(body, refreshToken));
    }

    /** RFC 6749 §2.3.1: each part form-encoded, then {@code id:secret} in base64. */
    private String basicCredentials() {
        String pair = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(settings.clientSecret().value(), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private HttpClientResponse postToken(Map<String, String> grant) {
        Map<String, String> form = new LinkedHashMap<>(grant);
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret().value());
        return http.post()
                .uri(settings.tokenEndpoint())
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .accept(MediaTypes.APPLICATION_JSON)
                .submit(FormBody.encode(form));
    }

    private <T> UpstreamResult<T> call(UpstreamEndpoint endpoint, String method, Callable<HttpClientResponse> send,
                                       Function<byte[], UpstreamResult<T>> readSuccess) {
        long started = System.nanoTime();
        Reply reply = exchange.run(send);
        UpstreamResult<T> result = interpret(reply, readSuccess);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        events.upstreamCall(endpoint, outcome(result), took);
        log(method, endpoint, reply, result, took);
        return result;
    }

    /** Every way an exchange can end, mapped on purpose: only a readable 2xx succeeds. */
    private static <T> UpstreamResult<T> interpret(Reply reply, Function<byte[], UpstreamResult<T>> readSuccess) {
        return switch (reply) {
            case Reply.Answered answered when isSuccess(answered.status()) -> readSuccess.apply(answered.body());
            case Reply.Answered answered when answered.status() == TOO_MANY_REQUESTS -> new UpstreamResult.RateLimited<>(
                    RateLimitReply.retryAfter(answered.retryAfter(), answered.body(), Instant.now()));
            case Reply.Answered answered when isOAuthError(answered.status()) -> OAuthError.code(answered.body())
                    .<UpstreamResult<T>>map(error -> new UpstreamResult.Rejected<>(error, answered.status()))
                    .orElseGet(() -> httpStatus(answered.status()));
            case Reply.Answered answered -> httpStatus(answered.status());
            case Reply.Oversized oversized -> isSuccess(oversized.status())
                    ? new UpstreamResult.Unavailable<>("response too large")
                    : httpStatus(oversized.status());
            case Reply.Failed failed -> new UpstreamResult.Unavailable<>(failed.reason());
            case Reply.TimedOut timedOut -> new UpstreamResult.TimedOut<>();
        };
    }

    private static final int TOO_MANY_REQUESTS = 429;

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
            case UpstreamResult.RateLimited<?> rateLimited -> "rate_limited";
            case UpstreamResult.TimedOut<?> timedOut -> "timeout";
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
            case UpstreamResult.RateLimited<?> rateLimited -> "rate limited"
                    + rateLimited.retryAfter().map(wait -> " for " + wait.toSeconds() + " s").orElse("");
            case UpstreamResult.TimedOut<?> timedOut -> "timeout";
        };
        Level level = result instanceof UpstreamResult.Success<?> ? Level.DEBUG
                : result instanceof UpstreamResult.Rejected<?> ? Level.INFO : Level.WARNING;
        LOG.log(level, "SoundCloud {0} {1}: {2}, {3}, {4} ms", method, endpoint.label(), status, detail, took.toMillis());
    }
}
