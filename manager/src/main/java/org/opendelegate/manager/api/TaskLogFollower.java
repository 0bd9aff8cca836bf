package org.opendelegate.manager.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskLogLine;

/**
 * Serves a task's log so it can be followed while the task runs: a call with {@code wait} holds until
 * new lines arrive or the task ends, then answers with the lines and where to continue.
 */
public final class TaskLogFollower {
    private static final int PAGE = 1000;
    private static final Duration CHECK_EVERY = Duration.ofMillis(200);

    private final TaskService tasks;
    private final ScheduledExecutorService scheduler;

    public TaskLogFollower(TaskService tasks, ScheduledExecutorService scheduler) {
        this.tasks = tasks;
        this.scheduler = scheduler;
    }

    /** Lines after {@code afterId}; waits up to {@code waitSeconds} for some if there are none yet. */
    public CompletableFuture<Map<String, Object>> follow(String accountId, String taskId, long afterId,
            int waitSeconds) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        check(accountId, taskId, afterId, giveUpAt, result);
        return result;
    }

    private void check(String accountId, String taskId, long afterId, long giveUpAt,
            CompletableFuture<Map<String, Object>> result) {
        try {
            Task task = tasks.find(accountId, taskId);
            List<TaskLogLine> lines = tasks.log(accountId, taskId, afterId, PAGE);
            boolean ended = task.state().isTerminal();
            if (!lines.isEmpty() || ended || System.nanoTime() >= giveUpAt) {
                long next = lines.isEmpty() ? afterId : lines.get(lines.size() - 1).id();
                result.complete(Map.of("taskId", taskId, "state", task.state().name(),
                        "lines", lines.stream().map(l -> Map.of("id", l.id(), "at", l.at(), "text", l.line(),
                                "fencingToken", l.fencingToken())).toList(),
                        "next", next, "done", ended && lines.size() < PAGE));
                return;
            }
            scheduler.schedule(() -> check(accountId, taskId, afterId, giveUpAt, result), CHECK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
