package org.opendelegate.manager.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * The console's JTE templates, compiled to Java classes at build time (so a broken template fails the
 * build, not a page) with HTML output escaping: every {@code ${...}} is escaped for where it stands.
 */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders a template that takes one model parameter as the HTML answer. */
    public void render(Context ctx, String template, Object model) {
        ctx.contentType("text/html; charset=utf-8").result(render(template, model));
    }

    public String render(String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template, model, out);
        return out.toString();
    }
}
