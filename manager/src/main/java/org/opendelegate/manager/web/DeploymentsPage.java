package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import org.opendelegate.manager.deployments.DeploymentState;
import org.opendelegate.manager.deployments.DeploymentStep;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.Deployments;
import org.opendelegate.manager.dispatch.TaskLogPage;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.users.SignedIn;

/**
 * Deployments: the list (filtered by cluster, service and state, a page at a time) and each deployment's page:
 * who deployed what, from → to, the step timeline with each step's log, the live log of its task (ECS events),
 * the diff and the problems, and Rollback and Cancel for admins and operators. Everything comes from
 * {@link Deployments}, as the API's answers do; the log is the task's, followed as on the task's page.
 */
public final class DeploymentsPage implements Routes {
    static final String BASE = "/deployments";
    /** Lines of a step shown in its timeline entry; the whole log is below and downloadable. */
    static final int STEP_LINES = 200;

    /** The list page. */
    public record ListModel(Shell shell, DeploymentTable.Table table, List<String> states, boolean canDeploy) {}

    /** A deployment's page; {@code log} is its task's log so far. */
    public record DetailModel(Shell shell, DeploymentDetail detail, TaskLog log) {}

    private final Deployments deployments;
    private final TaskService tasks;
    private final Pages pages;

    DeploymentsPage(Deployments deployments, TaskService tasks, Pages pages) {
        this.deployments = deployments;
        this.tasks = tasks;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, this::listPage);
        routes.get(BASE + "/table", ctx -> pages.render(ctx, "deployments/table.jte", table(ctx)));
        routes.get(BASE + "/{id}", this::detailPage);
        routes.get(BASE + "/{id}/live", this::live);
        routes.post(BASE + "/{id}/rollback", this::rollback);
        routes.post(BASE + "/{id}/cancel", this::cancel);
    }

    private void listPage(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        pages.render(
                ctx,
                "deployments/page.jte",
                new ListModel(
                        pages.shell(ctx, "Deployments", ConsoleNav.DEPLOYMENTS),
                        table(ctx),
                        DeploymentState.names(),
                        user.canRunTasks()));
    }

    private DeploymentTable.Table table(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentTable.Filter filter = DeploymentTable.Filter.of(
                ctx.queryParam("cluster"),
                ctx.queryParam("service"),
                ctx.queryParam("state"),
                ctx.queryParam("cursor"));
        return DeploymentTable.table(deployments, user.accountId(), filter, pages.now());
    }

    private void detailPage(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentView d = deployments.get(user.accountId(), ctx.pathParam("id"));
        TaskLog log = d.taskId() == null
                ? new TaskLog(List.of(), true)
                : TaskLog.of(tasks.log(user.accountId(), d.taskId(), 0, TaskLog.PAGE), 0);
        pages.render(
                ctx,
                "deployments/detail.jte",
                new DetailModel(
                        pages.shell(ctx, "Deployment of " + d.service(), ConsoleNav.DEPLOYMENTS),
                        detail(user, d),
                        log));
    }

    /** The changing part of a deployment's page; once it has ended, the answer stops the polling. */
    private void live(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentView d = deployments.get(user.accountId(), ctx.pathParam("id"));
        renderLive(ctx, user, d);
    }

    private void renderLive(Context ctx, SignedIn user, DeploymentView d) {
        if (!d.state().isActive()) {
            ctx.status(TasksPage.STOP_POLLING);
        }
        pages.render(ctx, "deployments/live.jte", detail(user, d));
    }

    private void rollback(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentView rollback = deployments.rollback(user.principal(), ctx.pathParam("id"));
        ctx.header("HX-Redirect", BASE + "/" + rollback.id());
        ctx.status(204);
    }

    private void cancel(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DeploymentView d = deployments.cancel(user.principal(), ctx.pathParam("id"));
        Htmx.events()
                .toast(
                        d.state().isActive()
                                ? "Asked the delegate to stop the deployment of " + d.service()
                                        + "; it ends as Cancelled once stopped."
                                : "Cancelled the deployment of " + d.service() + ".")
                .send(ctx);
        renderLive(ctx, user, d);
    }

    DeploymentDetail detail(SignedIn user, DeploymentView d) {
        return DeploymentDetail.of(d, user, pages.now(), step -> stepLog(user.accountId(), d, step));
    }

    /** The task's log lines between the checkpoint that started the step and the one that ended it. */
    private TaskLog stepLog(String accountId, DeploymentView d, DeploymentStep step) {
        if (d.taskId() == null) {
            return new TaskLog(List.of(), true);
        }
        TaskLogPage page = tasks.log(accountId, d.taskId(), step.logAfterId(), STEP_LINES);
        Long until = step.logUntilId();
        List<TaskLogPage.Line> lines = page.lines().stream()
                .filter(l -> until == null || l.id() <= until)
                .toList();
        return TaskLog.of(new TaskLogPage(page.taskId(), page.state(), lines, page.next(), page.done()), 0);
    }
}
