package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An embedded, strict stand-in for SoundCloud's OAuth 2.1 endpoints and {@code /me}, for running the whole login
 * with no credentials and no network. Mount it under {@link #MOUNT_PATH} and point both
 * {@code SOUNDCLOUD_AUTH_BASE_URL} and {@code SOUNDCLOUD_API_BASE_URL} at {@code http://host:port/sandbox/soundcloud}:
 * the production adapters then talk to it exactly as they talk to SoundCloud.
 *
 * <h2>Endpoints (relative to the mount point)</h2>
 * <ul>
 *   <li>{@code GET /authorize?client_id&redirect_uri&response_type=code&code_challenge&code_challenge_method=S256&state}
 *       — an unknown client, a redirect URI not exactly the registered one, another response type, or a missing or
 *       non-S256 challenge: an HTML 400 page and no redirect. Otherwise a consent page (test user, Approve/Deny),
 *       whose form posts back to {@code POST /authorize} with only a server-side request id. Approve: 303 to
 *       {@code redirect_uri?code=…&state=…}; Deny: 303 to {@code redirect_uri?error=access_denied&error_description=…&state=…}.
 *       With {@code prompt=none} (optionally {@code sandbox_user=<id>}) or {@link SandboxSettings#autoApprove()} the
 *       303 comes at once, for the default user (Ada, 1001) or the named one.</li>
 *   <li>{@code POST /oauth/token} (form-encoded; {@code client_id} and {@code client_secret} in the body) — grant types
 *       {@code authorization_code} (single-use code, valid 60 s, bound to client, {@code redirect_uri} and the PKCE S256
 *       challenge) and {@code refresh_token} (single-use, rotating); {@code client_credentials} with the client in
 *       HTTP Basic and nothing but {@code grant_type} in the body (an app token, for no user, with a refresh token). 200
 *       {@code {"access_token","refresh_token","expires_in","scope":"","token_type":"bearer"}}; errors are
 *       {@code {"error","error_description"}}: 401 {@code invalid_client}, 400 {@code invalid_request},
 *       {@code invalid_grant}, {@code unsupported_grant_type}.</li>
 *   <li>{@code GET /me} with {@code Authorization: OAuth <access_token>} — the user
 *       {@code {"id","urn","kind","username","full_name","permalink","permalink_url","uri","avatar_url"}};
 *       Bearer, or a missing, unknown or expired token: 401 {@code {"error":"invalid_token",…}}.</li>
 *   <li>{@code POST /sign-out} with {@code Authorization: OAuth <access_token>} — ends that session: the access token
 *       and the refresh token issued with it die. 200 {@code {"status":"Status(200) - OK"}}; a token that is not
 *       live: 401 {@code {"error":"invalid_token",…}}.</li>
 *   <li>{@code GET /control}, {@code PUT /control} (JSON), {@code POST /control/reset} — the fault switches below.</li>
 * </ul>
 *
 * <h2>Fault switches</h2>
 * Global to this instance; {@code GET /control} shows them, {@code PUT /control} with
 * {@code Content-Type: application/json} replaces them all (an omitted field takes its default, an unknown field
 * is a 400) and answers the new set, {@code POST /control/reset} restores the defaults:
 * <pre>{"deny_consent":false,"token_failure":"none","slow_ms":15000,"refresh_failure":"none","expires_in":null,
 *  "app_token_failure":"none"}</pre>
 * <ul>
 *   <li>{@code deny_consent}: true — auto-approval and the consent page's Approve both redirect with
 *       {@code error=access_denied}.</li>
 *   <li>{@code token_failure} for every {@code POST /oauth/token}: {@code none}; {@code server_error} — 500 with
 *       {@code {"error":"server_error"}}; {@code unavailable} — 503, {@code Retry-After}, an HTML body;
 *       {@code garbage} — 200 with a body that is not JSON; {@code slow} — waits {@code slow_ms} (default 15000,
 *       beyond the backend's default 10 s timeout), then answers normally. The failing kinds consume nothing.</li>
 *   <li>{@code refresh_failure}: {@code invalid_grant} — every refresh answers 400 {@code invalid_grant} and
 *       revokes the presented refresh token, as when a user disconnects the app.</li>
 *   <li>{@code expires_in}: seconds that newly issued access tokens live (0 allowed: already expired), instead of
 *       {@link SandboxSettings#accessTokenLifetime()}; {@code null} for the configured lifetime.</li>
 *   <li>{@code app_token_failure} for every client-credentials grant: {@code rate_limited} — 429 with SoundCloud's
 *       rate-limit body, resetting a minute later; {@code invalid_client} — 401, as for wrong credentials.</li>
 * </ul>
 *
 * <h2>Test users</h2>
 * {@link SandboxUsers}: Ada Lovelace 1001 (default), Alan Turing 1002, Grace Hopper 1003, and Denied Dan 1099, whose
 * approval always turns into {@code access_denied}.
 *
 * <p>State lives in memory, bounded and expiring. Codes, tokens, states and the client secret are never logged.
 */
public final class SandboxSoundCloud implements HttpService {

    public static final String MOUNT_PATH = "/sandbox/soundcloud";
    static final int MAX_BODY_BYTES = 8 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Every path the stand-in serves, with the methods it takes there (in routing order). */
    private static final Map<String, String> ALLOWED = orderedMap(
            "/authorize", "GET, POST",
            "/oauth/token", "POST",
            "/me", "GET",
            "/control", "GET, PUT",
            "/control/reset", "POST");

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private final SandboxControl control = new SandboxControl();
    private final SecureRandom random = new SecureRandom();
    private final SandboxAuthorizeEndpoint authorizeEndpoint;
    private final SandboxTokenEndpoint tokenEndpoint;
    private final SandboxMeEndpoint meEndpoint;
    private final SandboxSignOutEndpoint signOutEndpoint;
    private final SandboxPages pages = new SandboxPages();
    private final SandboxReplies replies;
    private final ControlJson controlJson;

    public SandboxSoundCloud(SandboxSettings settings, Clock clock) {
        this(settings, clock, SandboxGrants.DEFAULT_CAPACITY);
    }

    SandboxSoundCloud(SandboxSettings settings, Clock clock, int capacity) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        SandboxGrants grants = new SandboxGrants(capacity, random);
        this.authorizeEndpoint = new SandboxAuthorizeEndpoint(settings, control, grants, clock);
        this.tokenEndpoint = new SandboxTokenEndpoint(settings, control, grants, clock);
        this.meEndpoint = new SandboxMeEndpoint(grants, clock);
        this.signOutEndpoint = new SandboxSignOutEndpoint(grants, clock);
        ObjectMapper mapper = new ObjectMapper();
        this.replies = new SandboxReplies(mapper, settings.registeredRedirectUri(), settings.onwardOrigins());
        this.controlJson = new ControlJson(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/authorize", this::authorize)
                .post("/authorize", this::decide)
                .post("/oauth/token", this::token)
                .get("/me", this::me)
                .post("/sign-out", this::signOut)
                .get("/control", (req, res) -> replies.json(res, Status.OK_200, controlJson.write(control.current())))
                .put("/control", this::setControl)
                .post("/control/reset", (req, res) -> {
                    control.reset();
                    replies.json(res, Status.OK_200, controlJson.write(control.current()));
                });
        ALLOWED.forEach((path, methods) -> rules.any(path, (req, res) -> replies.methodNotAllowed(res, path, methods)));
        rules.any((req, res) -> replies.problem(res, Status.NOT_FOUND_404, "not_found", "The sandbox serves "
                + String.join(", ", ALLOWED.keySet()) + " under " + MOUNT_PATH + "; there is nothing at this path."));
    }


    private void authorize(ServerRequest req, ServerResponse res) {
        OAuthParameters query;
        try {
            query = OAuthParameters.parse(req.query().rawValue());
        } catch (IllegalArgumentException e) {
            refusePage(res, new AuthorizeOutcome.Refused("invalid_request", "The query string is malformed."));
            return;
        }
        answerFrontChannel(res, authorizeEndpoint.authorize(query));
    }

    private void decide(ServerRequest req, ServerResponse res) {
        Optional<OAuthParameters> form = readForm(req);
        if (form.isEmpty()) {
            refusePage(res, new AuthorizeOutcome.Refused("invalid_request", "The consent form could not be read."));
            return;
        }
        answerFrontChannel(res, authorizeEndpoint.decide(form.get()));
    }

    private void answerFrontChannel(ServerResponse res, AuthorizeOutcome outcome) {
        switch (outcome) {
            case AuthorizeOutcome.Refused refused -> refusePage(res, refused);
            case AuthorizeOutcome.AskConsent ask -> {
                String nonce = nonce();
                replies.page(res, Status.OK_200, pages.consent(ask.page(), nonce), nonce, true);
            }
            case AuthorizeOutcome.RedirectBack back -> replies.redirect(res, back.location());
        }
    }

    private void refusePage(ServerResponse res, AuthorizeOutcome.Refused refused) {
        String nonce = nonce();
        replies.page(res, Status.BAD_REQUEST_400, pages.error(refused.error(), refused.detail(), nonce), nonce, false);
    }

    private void token(ServerRequest req, ServerResponse res) throws InterruptedException {
        SandboxSwitches switches = control.current();
        switch (switches.tokenFailure()) {
            case NONE -> { }
            case SLOW -> Thread.sleep(switches.slow());
            case SERVER_ERROR -> {
                replies.oauthError(res, 500, "server_error", "Sandbox fault: token_failure=server_error.");
                return;
            }
            case UNAVAILABLE -> {
                res.header(HeaderNames.RETRY_AFTER, "5");
                replies.text(res, Status.SERVICE_UNAVAILABLE_503, "text/html; charset=UTF-8",
                        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
                return;
            }
            case GARBAGE -> {
                replies.text(res, Status.OK_200, "text/html; charset=UTF-8",
                        "<html><body>Sandbox fault: token_failure=garbage. This is not JSON.</body></html>");
                return;
            }
        }
        Optional<OAuthParameters> form = readForm(req);
        if (form.isEmpty()) {
            replies.oauthError(res, 400, "invalid_request",
                    "The body must be " + FORM + ", at most " + MAX_BODY_BYTES + " bytes.");
            return;
        }
        switch (tokenEndpoint.token(form.get(), req.headers().first(HeaderNames.AUTHORIZATION))) {
            case TokenOutcome.Issued issued -> replies.json(res, Status.OK_200, replies.object()
                    .put("access_token", issued.accessToken())
                    .put("refresh_token", issued.refreshToken())
                    .put("expires_in", issued.expiresInSeconds())
                    .put("scope", "")
                    .put("token_type", "bearer"));
            case TokenOutcome.Refused refused -> {
                if (refused.status() == 401) {
                    res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"SoundCloud sandbox\"");
                }
                replies.oauthError(res, refused.status(), refused.error(), refused.description());
            }
            case TokenOutcome.RateLimited limited -> replies.json(res, Status.TOO_MANY_REQUESTS_429,
                    replies.rateLimit(limited.resetAt()));
        }
    }

    private void me(ServerRequest req, ServerResponse res) {
        switch (meEndpoint.me(req.headers().first(HeaderNames.AUTHORIZATION))) {
            case MeOutcome.Found found -> {
                SandboxUser user = found.user();
                replies.json(res, Status.OK_200, replies.object()
                        .put("id", user.id())
                        .put("urn", user.urn())
                        .put("kind", "user")
                        .put("username", user.username())
                        .put("full_name", user.fullName())
                        .put("permalink", user.permalink())
                        .put("permalink_url", "https://soundcloud.com/" + user.permalink())
                        .put("uri", "https://api.soundcloud.com/users/" + user.id())
                        .put("avatar_url", user.avatarUrl()));
            }
            case MeOutcome.Unauthorized unauthorized -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, "OAuth realm=\"SoundCloud\", error=\"invalid_token\"");
                replies.oauthError(res, 401, "invalid_token", unauthorized.description());
            }
        }
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        switch (signOutEndpoint.signOut(req.headers().first(HeaderNames.AUTHORIZATION))) {
            case SandboxSignOutEndpoint.Outcome.SignedOut signedOut ->
                    replies.json(res, Status.OK_200, replies.object().put("status", "Status(200) - OK"));
            case SandboxSignOutEndpoint.Outcome.Unauthorized unauthorized -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, "OAuth realm=\"SoundCloud\", error=\"invalid_token\"");
                replies.oauthError(res, 401, "invalid_token", unauthorized.description());
            }
        }
    }

    private void setControl(ServerRequest req, ServerResponse res) {
        // The control endpoint is the sandbox's own API, not SoundCloud's: its errors are problem JSON.
        if (!hasContentType(req, "application/json")) {
            replies.problem(res, Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                    "Send the switches as application/json.");
            return;
        }
        Optional<byte[]> body = readBody(req);
        if (body.isEmpty()) {
            replies.problem(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large",
                    "The body is larger than " + MAX_BODY_BYTES + " bytes.");
            return;
        }
        switch (controlJson.read(body.get())) {
            case ControlJson.Parsed.Valid valid -> {
                control.set(valid.switches());
                replies.json(res, Status.OK_200, controlJson.write(control.current()));
            }
            case ControlJson.Parsed.Invalid invalid ->
                    replies.problem(res, Status.BAD_REQUEST_400, "invalid_request", invalid.description());
        }
    }

    /** The form body, or empty when it is not form-encoded, too large or malformed. */
    private Optional<OAuthParameters> readForm(ServerRequest req) {
        if (!hasContentType(req, FORM)) {
            return Optional.empty();
        }
        try {
            return readBody(req).map(bytes -> OAuthParameters.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> readBody(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(bytes);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasContentType(ServerRequest req, String mediaType) {
        return req.headers().first(HeaderNames.CONTENT_TYPE)
                .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(mediaType::equals)
                .isPresent();
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
