package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.http.ProblemPage;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.ConsoleSessions;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.Problem;

/**
 * Problems as people see them in the console. A page load gets an error page (inside the console's frame
 * when someone is signed in, so the navigation stays at hand); an htmx request gets the message as plain
 * text, which console.js shows as a notice. Form dialogs answer invalid input themselves with
 * {@link #formErrors}.
 */
public final class ConsoleErrors implements ProblemPage {
    /** The model of the error page. */
    public record ErrorModel(int status, String title, String detail) {}

    /** The error page inside the console's frame, for a signed-in user. */
    public record FramedModel(Shell shell, ErrorModel error) {}

    private final Templates templates;
    private final ConsoleSessions sessions;
    private final String version;

    public ConsoleErrors(Templates templates, ConsoleSessions sessions, String version) {
        this.templates = templates;
        this.sessions = sessions;
        this.version = version;
    }

    @Override
    public boolean wants(Context ctx) {
        return ConsoleRequests.wantsHtml(ctx);
    }

    @Override
    public void render(Context ctx, Problem problem) {
        ctx.status(problem.status());
        if (ConsoleRequests.isHtmx(ctx)) {
            ctx.contentType("text/plain; charset=utf-8").result(problem.detail());
            return;
        }
        ErrorModel error = new ErrorModel(problem.status(), problem.title(), problem.detail());
        Optional<SignedIn> user = signedIn(ctx);
        if (user.isPresent()) {
            templates.render(
                    ctx,
                    "errorFramed.jte",
                    new FramedModel(new Shell(problem.title(), "", user.get(), version), error));
            return;
        }
        templates.render(ctx, "error.jte", error);
    }

    /** The session filter attaches the user on console pages; elsewhere (an unknown path) the cookie tells. */
    private Optional<SignedIn> signedIn(Context ctx) {
        Optional<SignedIn> attached = ConsoleRequests.signedInIfAny(ctx);
        return attached.isPresent() ? attached : sessions.find(SessionCookie.session(ctx), false);
    }

    /**
     * Answers a form's invalid input inside its dialog: 422 with the list of what is wrong, sent to the
     * dialog's error area. Other problems (not allowed, not found) go to the usual handler.
     */
    static void formErrors(Context ctx, Templates templates, DomainProblem e, String errorArea) {
        if (!e.isAboutInput()) {
            throw e;
        }
        Htmx.retarget(ctx, errorArea);
        ctx.status(422);
        templates.render(ctx, "form-errors.jte", new FormErrors(lines(e)));
    }

    /** What is wrong with a form, one sentence per problem. */
    public record FormErrors(List<String> lines) {}

    /** "Selector ("Bad!") has characters outside ...": the API's field errors, labelled for people. */
    static List<String> lines(DomainProblem e) {
        if (e.errors().isEmpty()) {
            return List.of(e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        for (Problem.FieldError error : e.errors()) {
            lines.add(label(error.field()) + " " + error.message());
        }
        return lines;
    }

    private static String label(String field) {
        if (field.startsWith("selectors[")) {
            return "Selector";
        }
        if (field.equals("selectors")) {
            return "The group";
        }
        if (field.isEmpty() || field.equals("(body)")) {
            return "The form";
        }
        return Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }
}
