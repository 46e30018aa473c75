package dev.starlib.auth.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few HTML pages a browser lands on, rendered from templates precompiled at build time
 * ({@code src/main/jte}, HTML content type: every value is escaped for where it appears).
 */
final class Pages {

    /** No scripts, images, forms or framing; only the layout's inline style. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final boolean sandbox;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Pages.class.getClassLoader(), Pages.class.getPackageName());

    Pages() {
        this(false);
    }

    /** @param sandbox every page carries a banner saying SoundCloud is the sandbox stand-in */
    Pages(boolean sandbox) {
        this.sandbox = sandbox;
    }

    void done(ServerResponse response, DonePage page) {
        send(response, Status.OK_200, donePage(page));
    }

    void signInRejected(ServerResponse response, Problem problem) {
        send(response, problem.status(), rejectedPage(problem.detail()));
    }

    /** A request outside the API that a browser made: what went wrong, and where the API is. */
    void unrouted(ServerResponse response, Status status, String detail) {
        send(response, status, render("unrouted.jte", Map.of("title", status.code() + " " + status.reasonPhrase(),
                "detail", detail, "sandbox", sandbox)));
    }

    String donePage(DonePage page) {
        return render("done.jte", Map.of("page", page, "sandbox", sandbox));
    }

    String rejectedPage(String detail) {
        return render("sign_in_rejected.jte", Map.of("detail", detail, "sandbox", sandbox));
    }

    private String render(String template, Map<String, Object> parameters) {
        StringOutput output = new StringOutput();
        templates.render(template, parameters, output);
        return output.toString();
    }

    private static void send(ServerResponse response, Status status, String html) {
        response.status(status);
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"));
        response.header(HeaderValues.create(SecurityHeaders.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY));
        response.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
