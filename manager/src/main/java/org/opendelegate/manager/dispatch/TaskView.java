package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskAttempt;
import org.opendelegate.protocol.TaskTypes;

/**
 * A task as the API shows it.
 *
 * @param attemptCount how many leases were taken so far (the list view has no {@code attempts})
 * @param selectionLog the latest routing decision
 * @param selectionHistory every kept routing decision, oldest first
 * @param logBytesDropped log bytes the task's bounded log dropped between its first and last part; only in the
 *     full view, and only when some were
 */
public record TaskView(
        String id,
        String type,
        String state,
        JsonNode payload,
        List<String> selectors,
        String affinityKey,
        Map<String, String> scope,
        String idempotencyKey,
        boolean sync,
        long timeoutSeconds,
        int maxAttempts,
        int attemptCount,
        boolean cancelRequested,
        String delegateId,
        String delegateName,
        long fencingToken,
        Instant leaseExpiresAt,
        List<Attempt> attempts,
        JsonNode result,
        Failure error,
        SelectionLog selectionLog,
        List<SelectionLog> selectionHistory,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String source,
        Long logBytesDropped) {

    /** One lease of the task. */
    public record Attempt(
            int attempt,
            String delegateId,
            String delegateName,
            long fencingToken,
            Instant startedAt,
            Instant endedAt,
            String outcome,
            String detail) {
        static Attempt of(TaskAttempt a) {
            return new Attempt(
                    a.attempt(),
                    a.delegateId(),
                    a.delegateName(),
                    a.fencingToken(),
                    a.startedAt(),
                    a.endedAt(),
                    a.outcome(),
                    a.detail());
        }
    }

    /** Why the task failed. */
    public record Failure(String kind, String message) {}

    /** The same view with what the task's bounded log dropped (nothing shown when it dropped nothing). */
    TaskView withLogBytesDropped(long bytes) {
        Long dropped = bytes > 0 ? bytes : null;
        JsonNode result = this.result;
        // A script's result says how much of its log the size limit dropped, next to its exit code and outputs.
        if (TaskTypes.SHELL_SCRIPT.equals(type) && result instanceof ObjectNode object) {
            result = object.deepCopy().put("logBytesDropped", Math.max(0, bytes));
        }
        return new TaskView(
                id,
                type,
                state,
                payload,
                selectors,
                affinityKey,
                scope,
                idempotencyKey,
                sync,
                timeoutSeconds,
                maxAttempts,
                attemptCount,
                cancelRequested,
                delegateId,
                delegateName,
                fencingToken,
                leaseExpiresAt,
                attempts,
                result,
                error,
                selectionLog,
                selectionHistory,
                createdBy,
                createdAt,
                startedAt,
                finishedAt,
                source,
                dropped);
    }

    /** The same view with the live reason a queued task waits, shown as its latest selection log. */
    TaskView waiting(SelectionLog now) {
        List<SelectionLog> history = new java.util.ArrayList<>(selectionHistory == null ? List.of() : selectionHistory);
        history.add(now);
        return new TaskView(
                id,
                type,
                state,
                payload,
                selectors,
                affinityKey,
                scope,
                idempotencyKey,
                sync,
                timeoutSeconds,
                maxAttempts,
                attemptCount,
                cancelRequested,
                delegateId,
                delegateName,
                fencingToken,
                leaseExpiresAt,
                attempts,
                result,
                error,
                now,
                history,
                createdBy,
                createdAt,
                startedAt,
                finishedAt,
                source,
                logBytesDropped);
    }

    static TaskView of(Task t, String delegateName, List<TaskAttempt> attempts, boolean detailed) {
        return of(t, delegateName, attempts, detailed, detailed ? SelectionHistory.read(t.selectionLog()) : null);
    }

    /**
     * The full view of a task whose routing history is known without reading its stored text: a task just
     * stored leased, whose history is the one decision made for it.
     */
    static TaskView of(Task t, String delegateName, List<TaskAttempt> attempts, List<SelectionLog> history) {
        return of(t, delegateName, attempts, true, history);
    }

    private static TaskView of(
            Task t, String delegateName, List<TaskAttempt> attempts, boolean detailed, List<SelectionLog> history) {
        return new TaskView(
                t.id(),
                t.type(),
                t.state().name(),
                detailed ? t.payload() : null,
                t.selectors(),
                t.affinityKey(),
                t.scope().isEmpty() ? null : t.scope(),
                t.idempotencyKey(),
                t.sync(),
                t.timeoutMs() / 1000,
                t.maxAttempts(),
                t.attempts(),
                t.cancelRequested(),
                t.delegateId(),
                delegateName,
                t.fencingToken(),
                t.leaseExpiresAt(),
                attempts == null ? null : attempts.stream().map(Attempt::of).toList(),
                detailed ? t.result() : null,
                t.errorMessage() == null && t.errorKind() == null
                        ? null
                        : new Failure(
                                t.errorKind() == null ? null : t.errorKind().name(), t.errorMessage()),
                history == null || history.isEmpty() ? null : history.get(history.size() - 1),
                history,
                t.createdBy(),
                t.createdAt(),
                t.startedAt(),
                t.finishedAt(),
                t.source(),
                null);
    }
}
