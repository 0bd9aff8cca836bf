package org.opendelegate.manager.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.dispatch.TaskLogPage;
import org.opendelegate.manager.dispatch.TaskService;

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
    public CompletableFuture<TaskLogPage> follow(String accountId, String taskId, long afterId, int waitSeconds) {
        CompletableFuture<TaskLogPage> result = new CompletableFuture<>();
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        check(accountId, taskId, afterId, giveUpAt, result);
        return result;
    }

    private void check(
            String accountId, String taskId, long afterId, long giveUpAt, CompletableFuture<TaskLogPage> result) {
        try {
            TaskLogPage page = tasks.log(accountId, taskId, afterId, PAGE);
            if (!page.lines().isEmpty() || page.ended() || System.nanoTime() >= giveUpAt) {
                result.complete(page);
                return;
            }
            var unused = scheduler.schedule(
                    () -> check(accountId, taskId, afterId, giveUpAt, result),
                    CHECK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
