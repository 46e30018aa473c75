package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** How the sandbox writes its answers: headers that every page, redirect and JSON body of it carries. */
final class SandboxReplies {

    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    static final HeaderName X_FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final DateTimeFormatter RESET_TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z").withZone(ZoneOffset.UTC);
    private static final Pattern SAFE_ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[A-Za-z0-9.\\-\\[\\]:]+");

    private final ObjectMapper mapper;
    /**
     * The consent form posts to the sandbox, which redirects to the client's redirect URI, which may redirect on to
     * the app's own page: Chromium checks CSP form-action at every hop, so it must allow them all.
     */
    private final String formTargets;

    SandboxReplies(ObjectMapper mapper, URI registeredRedirectUri, List<String> onwardOrigins) {
        this.mapper = mapper;
        Set<String> targets = new LinkedHashSet<>();
        targets.add("'self'");
        targets.add(registeredRedirectUri.getScheme() + "://" + registeredRedirectUri.getRawAuthority());
        targets.addAll(onwardOrigins);
        // Only plain origins make it into the header: nothing that could end the directive or add another.
        this.formTargets = targets.stream().filter(t -> t.equals("'self'") || SAFE_ORIGIN.matcher(t).matches())
                .collect(Collectors.joining(" "));
    }

    void page(ServerResponse res, Status status, String html, String styleNonce, boolean hasForm) {
        noStore(res);
        browserHardening(res);
        res.header(CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + styleNonce + "'; form-action "
                + (hasForm ? formTargets : "'none'") + "; frame-ancestors 'none'; base-uri 'none'");
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.status(status).send(html.getBytes(StandardCharsets.UTF_8));
    }

    void redirect(ServerResponse res, URI location) {
        noStore(res);
        browserHardening(res);
        res.header(HeaderNames.LOCATION, location.toASCIIString());
        res.status(Status.SEE_OTHER_303).send();
    }

    void json(ServerResponse res, Status status, JsonNode body) {
        noStore(res);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        try {
            res.status(status).send(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * RFC 9457 problem JSON with a stable {@code error} code, for what the sandbox says as itself (its control
     * endpoint, a wrong method or path) rather than as SoundCloud, whose endpoints keep SoundCloud's own formats.
     */
    void problem(ServerResponse res, Status status, String error, String detail) {
        noStore(res);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        ObjectNode body = mapper.createObjectNode()
                .put("type", "about:blank")
                .put("title", status.reasonPhrase())
                .put("status", status.code())
                .put("detail", detail)
                .put("error", error);
        try {
            res.status(status).send(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Another method on a path the sandbox serves: 405 with the methods it takes. */
    void methodNotAllowed(ServerResponse res, String path, String allowed) {
        res.header(HeaderNames.ALLOW, allowed);
        problem(res, Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                SandboxSoundCloud.MOUNT_PATH + path + " accepts " + allowed + " only.");
    }

    /** RFC 6749 §5.2: {@code {"error","error_description"}}. */
    void oauthError(ServerResponse res, int status, String error, String description) {
        ObjectNode body = mapper.createObjectNode().put("error", error).put("error_description", description);
        json(res, Status.create(status), body);
    }

    /**
     * SoundCloud's rate-limit error body, as its documentation shows it, for the client-credentials group:
     * {@code {"errors":[{"meta":{"rate_limit":{…},"remaining_requests":0,"reset_time":"yyyy/MM/dd HH:mm:ss +0000"}}]}}.
     */
    ObjectNode rateLimit(Instant resetAt) {
        ObjectNode meta = mapper.createObjectNode();
        meta.putObject("rate_limit").put("group", "client_credentials").put("max_nr_of_requests", 50)
                .put("time_window", "PT12H");
        meta.put("remaining_requests", 0).put("reset_time", RESET_TIME.format(resetAt));
        ObjectNode body = mapper.createObjectNode();
        body.putArray("errors").addObject().set("meta", meta);
        return body;
    }

    void text(ServerResponse res, Status status, String contentType, String body) {
        noStore(res);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.status(status).send(body.getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** Token responses must not be cached (RFC 6749 §5.1); nothing else the sandbox says should be either. */
    private static void noStore(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
    }

    private static void browserHardening(ServerResponse res) {
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "no-referrer");
        res.header(X_FRAME_OPTIONS, "DENY");
    }
}
