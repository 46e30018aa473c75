package dev.starlib.auth.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What the simulated users do, each step checked as a client would check it: a bare route, {@code /authorize},
 * the whole backend-redirect login (authorize → SoundCloud's authorize → {@code /redirect} → {@code /result}) and
 * token refresh with rotation. An answer other than the one the contract promises is an {@link Unexpected}.
 */
public final class Journeys {

    /** On the service's default ALLOWED_RETURN_ORIGINS; the frontend would open it, the benchmark only checks it. */
    public static final String RETURN_TO = "http://localhost:3000/auth/soundcloud/callback";
    public static final String BARE_ROUTE = "/auth/soundcloud/done";

    private final String base;
    private final String authorize;
    private final Supplier<Browser> browsers;

    /** @param base the service's public base URL, e.g. {@code http://127.0.0.1:8000} */
    public Journeys(String base) {
        this(base, Browser::new);
    }

    /** @param browsers makes each user's browser (one that trusts the fake's TLS certificate, say) */
    public Journeys(String base, Supplier<Browser> browsers) {
        this.base = base;
        this.authorize = base + "/auth/soundcloud/authorize?return_to=" + URLEncoder.encode(RETURN_TO, StandardCharsets.UTF_8);
        this.browsers = browsers;
    }

    public String redirectUri() {
        return base + "/auth/soundcloud/redirect";
    }

    public ClosedLoop.Users bareRoute() {
        return index -> new Acting(browsers.get(), browser -> expect(browser.get(base + BARE_ROUTE), 200, "bare route"));
    }

    public ClosedLoop.Users authorizeOnly() {
        return index -> new Acting(browsers.get(), browser -> {
            JsonNode started = expect(browser.get(authorize), 200, "/authorize").json();
            text(started, "state", "/authorize");
        });
    }

    public ClosedLoop.Users logins() {
        return index -> new Acting(browsers.get(), this::login);
    }

    /** Each user logs in once, then refreshes its own token chain, keeping every rotated refresh token. */
    public ClosedLoop.Users refreshes() {
        return index -> {
            Browser browser = browsers.get();
            String[] refreshToken = {login(browser)};
            return new Acting(browser, b -> refreshToken[0] = refresh(b, refreshToken[0]));
        };
    }

    /** The four requests of a backend-redirect login; returns the refresh token it picked up. */
    public String login(Browser browser) throws Unexpected {
        JsonNode started = expect(browser.get(authorize), 200, "/authorize").json();
        String state = text(started, "state", "/authorize");
        String authorizationUrl = text(started, "authorization_url", "/authorize");

        Browser.Answer consent = expect(browser.get(authorizationUrl), 302, "SoundCloud /authorize");
        if (consent.location() == null || !consent.location().startsWith(redirectUri() + "?")) {
            throw new Unexpected("SoundCloud /authorize did not send the browser to the redirect URI");
        }

        Browser.Answer back = expect(browser.get(consent.location()), 303, "/redirect");
        if (back.location() == null || !back.location().startsWith(RETURN_TO + "?")
                || !back.location().contains("state=" + state)) {
            throw new Unexpected("/redirect did not send the browser back to return_to with its state");
        }

        JsonNode result = expect(browser.get(base + "/auth/soundcloud/result?state=" + state), 200, "/result").json();
        text(result, "access_token", "/result");
        if (!result.path("user").path("id").canConvertToLong() || result.path("user").path("id").asLong() <= 0) {
            throw new Unexpected("/result without a user id");
        }
        return text(result, "refresh_token", "/result");
    }

    /** {@code POST /refresh}; returns the new refresh token (the old one is now spent). */
    public String refresh(Browser browser, String refreshToken) throws Unexpected {
        Browser.Answer answer = refreshOnce(browser, refreshToken);
        expect(answer, 200, "/refresh");
        JsonNode tokens = answer.json();
        text(tokens, "access_token", "/refresh");
        return text(tokens, "refresh_token", "/refresh");
    }

    public Browser.Answer refreshOnce(Browser browser, String refreshToken) {
        // Token values are base64url or similar; JSON needs no escaping for them, but quote-proof it anyway.
        String json = "{\"refresh_token\":\"" + refreshToken.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return browser.postJson(base + "/auth/soundcloud/refresh", json);
    }

    static Browser.Answer expect(Browser.Answer answer, int status, String step) throws Unexpected {
        if (answer.status() != status) {
            String error = "";
            if (answer.body().length > 0 && answer.body()[0] == '{') {
                error = " " + answer.json().path("error").asText("");
            }
            throw new Unexpected(step + " answered " + answer.status() + error + " (expected " + status + ")");
        }
        return answer;
    }

    private static String text(JsonNode node, String field, String step) throws Unexpected {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new Unexpected(step + " without " + field);
        }
        return value.asText();
    }

    @FunctionalInterface
    private interface Step {
        void run(Browser browser) throws Exception;
    }

    /** A user with a browser of its own, doing one step per operation. */
    private static final class Acting implements ClosedLoop.User {
        private final Browser browser;
        private final Step step;

        Acting(Browser browser, Step step) {
            this.browser = browser;
            this.step = step;
        }

        @Override
        public void act() throws Exception {
            step.run(browser);
        }

        @Override
        public void close() {
            browser.close();
        }
    }
}
