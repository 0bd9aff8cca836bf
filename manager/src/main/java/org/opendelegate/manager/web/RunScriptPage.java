package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.dispatch.TaskRequest;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.users.SignedIn;

/**
 * Tasks → Run script: a form that submits a {@code shell.script} task and opens its page. Offered to admins and
 * operators; the task service refuses everyone else. Invalid input comes back as the same form with each error
 * next to its field.
 */
public final class RunScriptPage implements Routes {
    static final String PATH = "/tasks/run";

    /** The page: the form, the selectors to suggest (those an admin granted) and the stored secrets' names. */
    public record Model(Shell shell, RunScriptForm form, List<String> selectors, List<String> secretNames) {}

    private final TaskService tasks;
    private final DelegateAdmin delegates;
    private final SecretNames secretNames;
    private final Pages pages;

    RunScriptPage(TaskService tasks, DelegateAdmin delegates, SecretNames secretNames, Pages pages) {
        this.tasks = tasks;
        this.delegates = delegates;
        this.secretNames = secretNames;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, ctx -> show(ctx, RunScriptForm.empty()));
        routes.post(PATH, this::submit);
    }

    private void show(Context ctx, RunScriptForm form) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireTaskRunner();
        pages.render(
                ctx,
                "tasks/run.jte",
                new Model(
                        pages.shell(ctx, "Run script", ConsoleNav.TASKS),
                        form,
                        trustedSelectors(user.accountId()),
                        secretNames.names(user.accountId())));
    }

    private void submit(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireTaskRunner();
        RunScriptForm form = RunScriptForm.read(ctx);
        Map<String, List<String>> syntax = new LinkedHashMap<>();
        TaskRequest request = form.request(syntax);
        if (!syntax.isEmpty()) {
            ctx.status(422);
            show(ctx, form.withSyntaxErrors(syntax));
            return;
        }
        try {
            String id = tasks.submit(user.principal(), request).task().id();
            ctx.redirect("/tasks/" + id, HttpStatus.SEE_OTHER);
        } catch (DomainProblem e) {
            if (e.kind() != ProblemKind.INVALID || e.errors().isEmpty()) {
                throw e;
            }
            ctx.status(422);
            show(ctx, form.withErrors(e.errors()));
        }
    }

    /**
     * Scripts are routed only by selectors an admin granted, so those are the ones worth suggesting: each
     * group's name and selectors.
     */
    private List<String> trustedSelectors(String accountId) {
        TreeSet<String> selectors = new TreeSet<>();
        for (GroupView g : delegates.groups(accountId)) {
            selectors.add(g.name());
            selectors.addAll(g.selectors());
        }
        return List.copyOf(selectors);
    }
}
