package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * What every console page answers with: a template rendered as HTML, the page's {@link Shell} (the layout
 * with the signed-in user and the navigation), the time ages are shown against, and a form's invalid input
 * shown inside its dialog.
 */
final class Pages {
    private final Templates templates;
    private final String version;
    private final Clock clock;

    Pages(Templates templates, String version, Clock clock) {
        this.templates = templates;
        this.version = version;
        this.clock = clock;
    }

    void render(Context ctx, String template, Object model) {
        templates.render(ctx, template, model);
    }

    Shell shell(Context ctx, String title, String current) {
        return new Shell(title, current, ConsoleRequests.signedIn(ctx), version);
    }

    Instant now() {
        return clock.instant();
    }

    /** See {@link ConsoleErrors#formErrors}. */
    void formErrors(Context ctx, DomainProblem e, String errorArea) {
        ConsoleErrors.formErrors(ctx, templates, e, errorArea);
    }

    /** The Manager's version, shown on pages without a shell (sign-in). */
    String version() {
        return version;
    }
}
