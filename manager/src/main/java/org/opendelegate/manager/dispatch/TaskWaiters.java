package org.opendelegate.manager.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;

/**
 * Callers waiting for tasks to end (sync submissions, followers). Completed at once when this replica
 * applies the end, and by {@link #checkStore()} when another replica did.
 */
public final class TaskWaiters {
    private final TaskDao tasks;
    private final Map<String, List<CompletableFuture<Task>>> waiting = new ConcurrentHashMap<>();

    public TaskWaiters(TaskDao tasks) {
        this.tasks = tasks;
    }

    /** A future completed with the task once it reaches a terminal state. */
    public CompletableFuture<Task> await(String taskId) {
        CompletableFuture<Task> future = new CompletableFuture<>();
        waiting.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>()).add(future);
        var unused = future.whenComplete((t, e) -> waiting.computeIfPresent(taskId, (id, list) -> {
            list.removeIf(f -> f == future);
            return list.isEmpty() ? null : list;
        }));
        return future;
    }

    /** Tells the waiters of a task that it ended. */
    void ended(String taskId) {
        List<CompletableFuture<Task>> futures = waiting.get(taskId);
        if (futures == null || futures.isEmpty()) {
            return;
        }
        tasks.findById(taskId)
                .filter(t -> t.state().isTerminal())
                .ifPresent(t -> new ArrayList<>(futures).forEach(f -> f.complete(t)));
    }

    /** Completes waiters whose task ended on another replica. */
    void checkStore() {
        if (waiting.isEmpty()) {
            return;
        }
        for (Task t : tasks.terminalAmong(List.copyOf(waiting.keySet()))) {
            List<CompletableFuture<Task>> futures = waiting.get(t.id());
            if (futures != null) {
                new ArrayList<>(futures).forEach(f -> f.complete(t));
            }
        }
    }
}
