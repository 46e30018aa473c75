package dev.starlib.auth.http.admin;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * The admin pages, from templates precompiled with the public pages ({@code src/main/jte/admin}, HTML content
 * type) and laid out by the same {@code layout.jte}.
 */
final class AdminPages {

    /** The package the JTE plugin generates into: the admin templates land in its {@code admin} sub-package. */
    private static final String TEMPLATE_PACKAGE = "dev.starlib.auth.http";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            AdminPages.class.getClassLoader(), TEMPLATE_PACKAGE);

    void dashboard(ServerResponse response, Status status, DashboardView view) {
        send(response, status, render("admin/dashboard.jte", view));
    }

    void problem(ServerResponse response, Status status, String message) {
        send(response, status, render("admin/problem.jte", new ProblemView(status.code() + " " + status.reasonPhrase(),
                message)));
    }

    String render(String template, Object model) {
        StringOutput output = new StringOutput();
        templates.render(template, model, output);
        return output.toString();
    }

    record ProblemView(String title, String message) {
    }

    private static void send(ServerResponse response, Status status, String html) {
        response.status(status);
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"));
        response.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
