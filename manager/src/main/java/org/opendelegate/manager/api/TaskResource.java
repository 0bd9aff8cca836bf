package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.dispatch.TaskRequest;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.http.TaskLogDownload;
import org.opendelegate.manager.http.TaskLogStreams;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;

/** Tasks: submit (async or sync), list, look, cancel, read and follow the log. */
public final class TaskResource implements Routes {
    private final TaskService tasks;
    private final TaskLogFollower follower;
    private final TaskLogStreams streams;

    public TaskResource(TaskService tasks, TaskLogFollower follower, TaskLogStreams streams) {
        this.tasks = tasks;
        this.follower = follower;
        this.streams = streams;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/tasks", this::submit);
        routes.post("/api/v1/tasks/batch", this::submitBatch);
        routes.get("/api/v1/tasks", ctx -> {
            Principal principal = RequestPrincipal.of(ctx);
            int limit = intParam(ctx, "limit", 100, 1, 1000);
            ctx.json(Map.of(
                    "tasks",
                    tasks.list(
                            principal.accountId(),
                            ctx.queryParam("state"),
                            ctx.queryParam("type"),
                            ctx.queryParam("source"),
                            limit)));
        });
        routes.get("/api/v1/tasks/{id}", AccountReads.item(tasks::view));
        routes.post("/api/v1/tasks/{id}/cancel", ctx -> {
            var view = tasks.cancel(RequestPrincipal.of(ctx), ctx.pathParam("id"));
            ctx.status("RUNNING".equals(view.state()) ? 202 : 200).json(view);
        });
        routes.get(
                "/api/v1/tasks/{id}/log.txt",
                ctx -> TaskLogDownload.write(
                        ctx, tasks, RequestPrincipal.of(ctx).accountId()));
        routes.get("/api/v1/tasks/{id}/log", ctx -> {
            Principal principal = RequestPrincipal.of(ctx);
            if (TaskLogDownload.follow(ctx)) {
                streams.start(ctx, principal.accountId(), ctx.pathParam("id"), TaskLogDownload.resumeAfter(ctx));
                return;
            }
            long after = intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
            int waitSeconds = intParam(ctx, "wait", 0, 0, 25);
            ctx.future(() -> follower.follow(principal.accountId(), ctx.pathParam("id"), after, waitSeconds)
                    .thenAccept(ctx::json));
        });
    }

    private void submit(Context ctx) {
        Principal principal = RequestPrincipal.of(ctx);
        TaskRequest request = JsonBody.read(ctx, TaskRequest.class);
        TaskService.Submitted submitted = tasks.submit(principal, request);
        ctx.header("Location", "/api/v1/tasks/" + submitted.task().id());
        // A sync caller waits for the end, also when it repeats its submission (same idempotency key) after losing
        // the first answer, e.g. to a Manager replica that died: it gets the task's end, not its running state.
        if (submitted.task().sync()
                && (!submitted.existing() || !submitted.task().state().isTerminal())) {
            ctx.future(() -> tasks.awaitEnd(submitted.task())
                    .thenAccept(t -> ctx.status(200).json(tasks.view(t))));
        } else {
            ctx.status(submitted.existing() ? 200 : 201).json(tasks.view(submitted));
        }
    }

    /** A batch submission: up to {@link TaskService#MAX_BATCH} async tasks. */
    record TaskBatch(List<TaskRequest> tasks) {}

    /** One task of a batch's answer, in the order submitted. */
    record BatchItem(String id, String state, boolean existing) {}

    /**
     * Answers each task's id and state only, not its full view: the caller asked for many tasks at once and
     * reads any of them with {@code GET /api/v1/tasks/{id}}.
     */
    private void submitBatch(Context ctx) {
        Principal principal = RequestPrincipal.of(ctx);
        TaskBatch batch = JsonBody.read(ctx, TaskBatch.class);
        List<TaskService.Submitted> submitted = tasks.submitBatch(principal, batch.tasks());
        List<BatchItem> items = new ArrayList<>(submitted.size());
        int created = 0;
        for (TaskService.Submitted s : submitted) {
            items.add(new BatchItem(s.task().id(), s.task().state().name(), s.existing()));
            created += s.existing() ? 0 : 1;
        }
        ctx.status(created > 0 ? 201 : 200).json(Map.of("tasks", items, "created", created));
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DomainProblem.invalidField(
                name, "(\"" + raw + "\") must be a whole number from " + min + " to " + max + ".");
    }
}
