package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.TaskAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes leases in the store on the tasks the dispatcher picked for a delegate and turns them into the
 * assignments its poll answers with. Part of the dispatcher: it keeps the queue and the running tasks in
 * step with what the store leased.
 */
final class TaskClaims {
    private static final Logger LOG = LoggerFactory.getLogger(TaskClaims.class);
    private final TaskDao tasks;
    private final TaskWrites writes;
    private final QueuedTasks queue;
    private final RunningTasks running;
    private final DelegateTimings timings;
    private final TaskSecrets secrets;
    private final Clock clock;

    TaskClaims(
            TaskDao tasks,
            TaskWrites writes,
            QueuedTasks queue,
            RunningTasks running,
            DelegateTimings timings,
            TaskSecrets secrets,
            Clock clock) {
        this.tasks = tasks;
        this.writes = writes;
        this.queue = queue;
        this.running = running;
        this.timings = timings;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Stores a new task already leased to the delegate session, with its first attempt, in one commit (shared with
     * whatever else is written then).
     */
    Task insertLeased(Task task, ResolvedDelegate delegate, String sessionId, SelectionLog log) {
        Instant now = clock.instant();
        Task leased = task.leasedTo(
                delegate.id(), sessionId, now.plus(timings.lease()), now, SelectionHistory.append(null, log));
        writes.insertLeased(new TaskDao.NewLeasedTask(leased, delegate.name()));
        running.add(delegate.id(), leased.id());
        return leased;
    }

    /** What the delegate is told about a task it leased. */
    TaskAssignment assignment(Task leased) {
        return assignment(leased, clock.instant());
    }

    /**
     * Leases the picked tasks in one step (sharing its commit with whatever else is written then); tasks that
     * changed meanwhile follow the store instead.
     */
    List<TaskAssignment> claimAll(List<TaskDao.Claim> picked, ResolvedDelegate delegate, String sessionId) {
        Instant now = clock.instant();
        List<Task> leased = writes.lease(
                new TaskDao.Lease(picked, delegate.id(), delegate.name(), sessionId, now.plus(timings.lease()), now));
        Set<String> leasedIds = new HashSet<>();
        List<TaskAssignment> assigned = new ArrayList<>();
        for (Task t : leased) {
            leasedIds.add(t.id());
            queue.remove(t);
            TaskAssignment a = assignment(t, now);
            String unwritable = unwritable(a);
            if (unwritable == null) {
                running.add(delegate.id(), t.id());
                assigned.add(a);
            } else {
                quarantine(t, unwritable, now);
            }
        }
        for (TaskDao.Claim c : picked) {
            if (!leasedIds.contains(c.queued().id())) {
                followStore(c.queued(), now);
            }
        }
        return assigned;
    }

    /**
     * Why the assignment cannot be written into a poll answer (a payload nested deeper than the serializer
     * writes, say), or null when it can. One such task must not fail the whole answer and strand the other
     * leases it took.
     */
    private static String unwritable(TaskAssignment a) {
        try {
            ProtocolJson.mapper().writeValueAsBytes(a);
            return null;
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    // The lease just taken ends at once: the task is FAILED with the reason, never handed out, never retried.
    private void quarantine(Task leased, String reason, Instant now) {
        LOG.warn("Task {} quarantined: its assignment cannot be written ({})", leased.id(), reason);
        tasks.finish(
                leased.id(),
                leased.fencingToken(),
                TaskState.FAILED,
                null,
                ErrorKind.TASK,
                "Quarantined: the Manager cannot write this task's assignment to a delegate (" + reason
                        + "). Submit it again with a payload nested at most " + ProtocolJson.MAX_DEPTH
                        + " levels deep.",
                now,
                "QUARANTINED");
    }

    // Taken elsewhere, cancelled, or changed: the queue follows the store.
    private void followStore(Task task, Instant now) {
        tasks.findById(task.id())
                .ifPresentOrElse(
                        fresh -> {
                            if (fresh.state() != TaskState.QUEUED) {
                                queue.remove(fresh);
                            } else {
                                queue.add(fresh, now);
                            }
                        },
                        () -> queue.remove(task));
    }

    private TaskAssignment assignment(Task t, Instant now) {
        long remaining = Math.max(1, Duration.between(now, t.deadline()).toMillis());
        return new TaskAssignment(
                t.id(),
                t.type(),
                t.payload(),
                t.fencingToken(),
                t.attempts(),
                timings.lease().toMillis(),
                remaining,
                secrets.open(t),
                t.leaseId(),
                checkpoint(t));
    }

    /** The latest checkpoint an earlier attempt saved, or null: only a task tried before can have one. */
    private JsonNode checkpoint(Task t) {
        if (t.attempts() <= 1) {
            return null;
        }
        return tasks.checkpoint(t.id()).map(TaskClaims::parse).orElse(null);
    }

    private static JsonNode parse(String json) {
        try {
            return ProtocolJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored checkpoint is not JSON: " + e.getOriginalMessage());
        }
    }
}
