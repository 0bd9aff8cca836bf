package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.http.TaskLogDownload;
import org.opendelegate.manager.http.TaskLogStreams;
import org.opendelegate.manager.users.SignedIn;

/**
 * Tasks: the list (filtered, refreshed in place) and each task's page: its state and timings, error or
 * result, attempts, the selection log that explains where it went, and its log, followed while it runs.
 * Everything comes from {@link TaskService}, as the API's answers do.
 */
public final class TasksPage implements Routes {
    private final TaskLogStreams streams;
    /** An answer that also tells htmx to stop polling: the task has ended. */
    static final int STOP_POLLING = 286;

    /** The list page; {@code kept} says how long an ended task is kept, or is empty when every task is. */
    public record ListModel(Shell shell, TaskList.Table table, List<String> states, List<String> types, String kept) {}

    /** A task's page; {@code log} is its log so far. */
    public record DetailModel(Shell shell, TaskDetail detail, TaskLog log) {}

    /** The part of a task's page that refreshes itself; {@code oob} when it comes with a refresh. */
    public record LiveModel(TaskDetail detail, boolean oob) {}

    private final TaskService tasks;
    private final String kept;
    private final TaskList list;
    private final Pages pages;

    TasksPage(TaskService tasks, TaskList list, Pages pages, TaskLogStreams streams, Optional<Duration> retention) {
        this.streams = streams;
        this.kept = retention.map(TasksPage::kept).orElse("");
        this.tasks = tasks;
        this.list = list;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/tasks", this::listPage);
        routes.get(
                "/tasks/table",
                ctx -> pages.render(ctx, "tasks/table.jte", list.table(ConsoleRequests.signedIn(ctx), filter(ctx))));
        routes.get("/tasks/{id}", this::detailPage);
        routes.get("/tasks/{id}/live", this::live);
        routes.get("/tasks/{id}/log", this::log);
        // The live log follows these events (console.js); the download is the whole log as text.
        routes.get(
                "/tasks/{id}/log/events",
                ctx -> streams.start(
                        ctx,
                        ConsoleRequests.signedIn(ctx).accountId(),
                        ctx.pathParam("id"),
                        TaskLogDownload.resumeAfter(ctx)));
        routes.get(
                "/tasks/{id}/log.txt",
                ctx -> TaskLogDownload.write(
                        ctx, tasks, ConsoleRequests.signedIn(ctx).accountId()));
        routes.post("/tasks/{id}/cancel", this::cancel);
    }

    /** How long an ended task is kept (OPENDELEGATE_TASK_RETENTION), in the unit a person would use. */
    static String kept(Duration retention) {
        long minutes = retention.toMinutes();
        String span = minutes % (24 * 60) == 0
                ? plural(minutes / (24 * 60), "day")
                : minutes % 60 == 0 ? plural(minutes / 60, "hour") : plural(minutes, "minute");
        return "An ended task is kept for " + span + ", then removed with its log.";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private void listPage(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TaskList.Filter filter = filter(ctx);
        pages.render(
                ctx,
                "tasks/page.jte",
                new ListModel(
                        pages.shell(ctx, "Tasks", ConsoleNav.TASKS),
                        list.table(user, filter),
                        TaskStates.all(),
                        list.types(user, filter),
                        kept));
    }

    private void detailPage(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TaskView task = tasks.view(user.accountId(), ctx.pathParam("id"));
        TaskLog log = TaskLog.of(tasks.log(user.accountId(), task.id(), 0, TaskLog.PAGE), 0);
        pages.render(
                ctx,
                "tasks/detail.jte",
                new DetailModel(
                        pages.shell(ctx, "Task " + TaskList.shortId(task.id()), ConsoleNav.TASKS),
                        TaskDetail.of(task, user, pages.now()),
                        log));
    }

    /** The changing part of a task's page; once the task has ended, the answer stops the polling. */
    private void live(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TaskView task = tasks.view(user.accountId(), ctx.pathParam("id"));
        renderLive(ctx, user, task);
    }

    private void renderLive(Context ctx, SignedIn user, TaskView task) {
        if (!TaskStates.isActive(task.state())) {
            ctx.status(STOP_POLLING);
        }
        pages.render(ctx, "tasks/live.jte", new LiveModel(TaskDetail.of(task, user, pages.now()), true));
    }

    /** Log lines after {@code after}; once the task has ended and nothing is left, the answer stops the polling. */
    private void log(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String id = ctx.pathParam("id");
        long after = longParam(ctx, "after");
        TaskLog log = TaskLog.of(tasks.log(user.accountId(), id, after, TaskLog.PAGE), longParam(ctx, "token"));
        if (log.done()) {
            ctx.status(STOP_POLLING);
        }
        pages.render(ctx, "tasks/logLines.jte", log);
    }

    private void cancel(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TaskView task = tasks.cancel(user.principal(), ctx.pathParam("id"));
        String name = "task " + TaskList.shortId(task.id());
        Htmx.events()
                .toast(
                        "RUNNING".equals(task.state())
                                ? "Asked " + (task.delegateName() == null ? "its delegate" : task.delegateName())
                                        + " to stop " + name + "; it ends as Cancelled once stopped."
                                : "Cancelled " + name + ".")
                .send(ctx);
        pages.render(ctx, "tasks/live.jte", new LiveModel(TaskDetail.of(task, user, pages.now()), true));
    }

    private static TaskList.Filter filter(Context ctx) {
        return TaskList.Filter.of(
                ctx.queryParam("state"), ctx.queryParam("type"), ctx.queryParam("q"), ctx.queryParam("source"));
    }

    private static long longParam(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        try {
            return raw == null || raw.isBlank() ? 0 : Math.max(0, Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
