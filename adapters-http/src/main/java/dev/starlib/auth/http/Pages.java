package dev.starlib.auth.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * The few HTML pages a browser lands on, rendered from templates precompiled at build time
 * ({@code src/main/jte}, HTML content type: every value is escaped for where it appears).
 */
final class Pages {

    /** No scripts, images, forms or framing; only the layout's inline style. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Pages.class.getClassLoader(), Pages.class.getPackageName());

    void done(ServerResponse response, DonePage page) {
        send(response, Status.OK_200, render("done.jte", page));
    }

    void signInRejected(ServerResponse response, Problem problem) {
        send(response, problem.status(), render("sign_in_rejected.jte", problem.detail()));
    }

    String render(String template, Object model) {
        StringOutput output = new StringOutput();
        templates.render(template, model, output);
        return output.toString();
    }

    private static void send(ServerResponse response, Status status, String html) {
        response.status(status);
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"));
        response.header(HeaderValues.create(SecurityHeaders.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY));
        response.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
