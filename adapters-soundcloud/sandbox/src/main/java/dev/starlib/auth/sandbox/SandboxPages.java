package dev.starlib.auth.sandbox;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.util.Map;

/** Renders the sandbox's HTML pages from precompiled JTE templates, which escape every value by context. */
final class SandboxPages {

    /** Where the jte-maven-plugin puts the generated template classes (see this module's pom). */
    private static final String TEMPLATE_PACKAGE = "dev.starlib.auth.sandbox.pages";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            SandboxPages.class.getClassLoader(), TEMPLATE_PACKAGE);

    /** @param styleNonce the CSP nonce that lets the page's own inline style, and nothing else, apply */
    String consent(ConsentPage page, String styleNonce) {
        return render("sandbox/consent.jte", Map.of("page", page, "nonce", styleNonce));
    }

    String error(String error, String detail, String styleNonce) {
        return render("sandbox/error.jte", Map.of("error", error, "detail", detail, "nonce", styleNonce));
    }

    private String render(String template, Map<String, Object> parameters) {
        StringOutput output = new StringOutput();
        engine.render(template, parameters, output);
        return output.toString();
    }
}
