package org.opendelegate.manager.dispatch;

import static org.opendelegate.manager.config.LimitsConfig.MAX_LOG_LINE_BYTES;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.limits.Rates;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskLogLine;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.HeartbeatResponse;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.protocol.TaskProgressResponse;
import org.opendelegate.protocol.TaskTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a lease after it is taken: renewal by heartbeats and progress, and what happens when it is
 * lost without an outcome (requeue to another delegate or give up). Outcomes are {@link TaskOutcomes}.
 * Every change is fenced: only the holder of the current fencing token changes a task, exactly once.
 */
public final class TaskLeases {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLeases.class);
    private static final int MAX_LINES_PER_CALL = 5000;

    private final TaskDao tasks;
    private final TaskLogDao logs;
    private final Dispatcher dispatcher;
    private final DelegateTimings timings;
    private final Clock clock;
    private final Rates rates;
    private final long logMaxBytes;

    /**
     * @param rates bounds the log lines a delegate sends per second
     * @param logMaxBytes the log bytes kept per task ({@code OPENDELEGATE_TASK_LOG_MAX_BYTES})
     */
    public TaskLeases(
            TaskDao tasks,
            TaskLogDao logs,
            Dispatcher dispatcher,
            DelegateTimings timings,
            Clock clock,
            Rates rates,
            long logMaxBytes) {
        this.rates = rates;
        this.logMaxBytes = logMaxBytes;
        this.tasks = tasks;
        this.logs = logs;
        this.dispatcher = dispatcher;
        this.timings = timings;
        this.clock = clock;
    }

    /**
     * A heartbeat renews the leases of the tasks the delegate runs, and tells it which of those it must
     * cancel and which it no longer holds.
     */
    public HeartbeatResponse heartbeat(ResolvedDelegate delegate, String sessionId, List<String> runningTaskIds) {
        List<String> reported = runningTaskIds == null ? List.of() : runningTaskIds;
        List<Task> held = tasks.heldBy(delegate.id(), reported);
        Set<String> heldIds = new HashSet<>();
        held.forEach(t -> heldIds.add(t.id()));
        tasks.transferLeases(delegate.id(), sessionId, heldIds, clock.instant().plus(timings.lease()));
        dispatcher.nowRunning(delegate.id(), heldIds);
        List<String> notHeld =
                reported.stream().filter(id -> !heldIds.contains(id)).toList();
        // A task this delegate ended, whose outcome was applied while the heartbeat was on its way, is not
        // lost: its outcome report will be answered ALREADY_APPLIED. Lost is a task that moved on without it.
        Map<String, Task> notHeldTasks = notHeld.isEmpty() ? Map.of() : tasks.findByIds(notHeld);
        List<String> lost = notHeld.stream()
                .filter(id -> {
                    Task t = notHeldTasks.get(id);
                    return t == null
                            || !t.state().isTerminal()
                            || !delegate.id().equals(t.delegateId());
                })
                .toList();
        Set<String> cancels = new HashSet<>(dispatcher.drainCancels(delegate.id()));
        held.stream().filter(Task::cancelRequested).forEach(t -> cancels.add(t.id()));
        return new HeartbeatResponse(timings.heartbeatInterval().toMillis(), List.copyOf(cancels), lost);
    }

    /**
     * After a (re-)registration: tasks the delegate still runs move to the new session; any other task
     * leased to it is rerouted at once instead of waiting for its lease to expire.
     */
    public void registered(ResolvedDelegate delegate, List<String> runningTaskIds) {
        dispatcher.dropPoll(delegate.id());
        Set<String> stillRunning = new HashSet<>(runningTaskIds == null ? List.of() : runningTaskIds);
        List<String> kept = new ArrayList<>();
        for (Task t : tasks.runningOn(delegate.id())) {
            if (stillRunning.contains(t.id())) {
                kept.add(t.id());
            } else {
                release(
                        t,
                        "DELEGATE_RESTARTED",
                        "delegate " + delegate.name() + " restarted and no longer runs the task");
            }
        }
        tasks.transferLeases(
                delegate.id(),
                delegate.delegate().sessionId(),
                kept,
                clock.instant().plus(timings.lease()));
        dispatcher.nowRunning(delegate.id(), kept);
    }

    /**
     * A session the Manager ended (its token was revoked): every task leased to the delegate is rerouted at
     * once, and its waiting poll is answered, so it takes no more work.
     */
    public void sessionEnded(ResolvedDelegate delegate, String attemptOutcome, String detail) {
        dispatcher.dropPoll(delegate.id());
        for (Task t : tasks.runningOn(delegate.id())) {
            release(t, attemptOutcome, detail);
        }
    }

    /**
     * After the Manager starts, every running lease gets one full lease period: delegates could not renew
     * while the Manager was down, and they need a moment to reconnect before their work counts as lost.
     */
    public void graceAfterStart() {
        int extended = tasks.extendRunningLeases(clock.instant().plus(timings.lease()));
        if (extended > 0) {
            LOG.info(
                    "Gave {} running task lease(s) {} s to be renewed after the start",
                    extended,
                    timings.lease().toSeconds());
        }
    }

    /**
     * Log lines from a running task; renews its lease. A delegate over its lines-per-second rate is refused
     * (429) before anything changes, and sends the same lines again. Lines over 64 KiB are stored as several
     * lines; the task keeps the first and the last part of its log ({@link TaskLogDao}).
     */
    public TaskProgressResponse progress(ResolvedDelegate delegate, String taskId, TaskProgress progress) {
        Task task = requireLease(delegate, taskId, progress.fencingToken(), progress.leaseId());
        List<LogLine> lines = progress.lines() == null ? List.of() : progress.lines();
        if (lines.size() > MAX_LINES_PER_CALL) {
            throw DomainProblem.invalidField(
                    "lines", "has " + lines.size() + " lines; send at most " + MAX_LINES_PER_CALL + " per call.");
        }
        rates.logLines(task.accountId(), delegate.id(), taskId, lines.size());
        Instant now = clock.instant();
        if (!tasks.renewLease(taskId, progress.fencingToken(), now.plus(timings.lease()))) {
            throw leaseLost(task, progress.fencingToken());
        }
        List<TaskLogLine> rows = new ArrayList<>();
        for (LogLine line : lines) {
            Instant at = line.at() == null ? now : line.at();
            long seq = line.seq() == null ? 0 : line.seq();
            String stream = TaskLogLines.stream(line.stream());
            for (String part : TaskLogLines.split(line.text() == null ? "" : line.text(), MAX_LOG_LINE_BYTES)) {
                rows.add(TaskLogDao.line(at, part, seq, stream));
            }
        }
        int stored = logs.append(
                task.accountId(),
                taskId,
                progress.fencingToken(),
                rows,
                logMaxBytes,
                (droppedLines, droppedBytes) -> TaskLogLines.gapNote(droppedLines, droppedBytes, logMaxBytes));
        if (stored > 0) {
            dispatcher.logStored(taskId);
        }
        return new TaskProgressResponse(task.cancelRequested());
    }

    /**
     * A lease that ended without an outcome (expired, or the delegate restarted): requeue the task for
     * another delegate, or end it when it was cancelled, ran out of time, or used all its attempts.
     */
    void release(Task t, String attemptOutcome, String detail) {
        Instant now = clock.instant();
        boolean requeue = mayTryAgain(t, now);
        boolean changed = requeue
                ? tasks.requeue(t.id(), t.fencingToken(), now, attemptOutcome, detail)
                : end(t, attemptOutcome, detail, now);
        if (changed) {
            LOG.info("Task {} {} after attempt {}: {}", t.id(), requeue ? "requeued" : "ended", t.attempts(), detail);
            dispatcher.requeuedOrEnded(t, requeue);
        }
    }

    /**
     * Whether a task whose lease closed without success goes back to the queue: not when its cancellation
     * was asked for, its time budget ran out, or it used all its attempts.
     */
    static boolean mayTryAgain(Task t, Instant now) {
        return !t.cancelRequested() && t.deadline().isAfter(now) && t.attempts() < t.maxAttempts();
    }

    private boolean end(Task t, String attemptOutcome, String detail, Instant now) {
        if (t.cancelRequested()) {
            return tasks.finish(
                    t.id(),
                    t.fencingToken(),
                    TaskState.CANCELLED,
                    null,
                    null,
                    "Cancelled; " + detail + " before confirming.",
                    now,
                    attemptOutcome);
        }
        if (!t.deadline().isAfter(now)) {
            return tasks.finish(
                    t.id(),
                    t.fencingToken(),
                    TaskState.TIMED_OUT,
                    null,
                    ErrorKind.TASK,
                    "The task's time budget ran out; " + detail + ".",
                    now,
                    attemptOutcome);
        }
        return tasks.finish(
                t.id(),
                t.fencingToken(),
                TaskState.FAILED,
                null,
                ErrorKind.CAPABILITY,
                gaveUp(t, detail),
                now,
                attemptOutcome);
    }

    /**
     * Why a task whose delegate was lost ends. A script may have done part of its work before the delegate
     * vanished, and nobody knows which part: the message says so, so that a person checks before running it
     * again (it is not retried unless its submitter allowed more attempts).
     */
    static String gaveUp(Task t, String detail) {
        String attempts = t.attempts() + " attempt" + (t.attempts() == 1 ? "" : "s");
        if (TaskTypes.SHELL_SCRIPT.equals(t.type())) {
            return "The delegate was lost while the script ran; it may have partly run (" + detail + "; " + attempts
                    + " of " + t.maxAttempts() + " used). Check what it changed before running it again.";
        }
        return "Gave up after " + attempts + "; the last: " + detail + ".";
    }

    private Task requireLease(ResolvedDelegate delegate, String taskId, long fencingToken, String leaseId) {
        Task task = tasks.findById(taskId)
                .filter(t -> t.accountId().equals(delegate.accountId()))
                .orElseThrow(() -> DomainProblem.notFound("task", taskId));
        if (namesLeaseOfAnother(task, delegate, fencingToken, leaseId)) {
            throw leaseNotYours(task);
        }
        if (!isOpen(task, delegate) || task.fencingToken() != fencingToken) {
            throw leaseLost(task, fencingToken);
        }
        return task;
    }

    private static boolean isOpen(Task task, ResolvedDelegate delegate) {
        return task.state() == TaskState.RUNNING && delegate.id().equals(task.delegateId());
    }

    /**
     * Whether a call names the task's current lease (its fencing token) without holding it: another
     * delegate, or no or another lease id. The holder of a lease always knows both, so this is never a race
     * of the real delegate; fencing tokens count, so they alone prove nothing.
     */
    static boolean namesLeaseOfAnother(Task task, ResolvedDelegate delegate, long fencingToken, String leaseId) {
        boolean current = task.state() == TaskState.RUNNING && task.fencingToken() == fencingToken;
        return current && (!delegate.id().equals(task.delegateId()) || !sameLeaseId(task.leaseId(), leaseId));
    }

    private static boolean sameLeaseId(String expected, String presented) {
        return expected != null
                && presented != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    static DomainProblem leaseNotYours(Task task) {
        return new DomainProblem(
                ProblemKind.FORBIDDEN,
                "Lease not yours",
                ProblemCodes.LEASE_NOT_YOURS,
                "Task " + task.id() + " is not leased to this delegate session under that lease id; nothing was"
                        + " changed. A delegate reports only about tasks it was assigned, with the lease id of the"
                        + " assignment.");
    }

    static DomainProblem leaseLost(Task task, long fencingToken) {
        return DomainProblem.conflict(
                ProblemCodes.LEASE_LOST,
                "The lease on task " + task.id() + " with fencing "
                        + "token " + fencingToken + " is no longer held (the task is " + task.state()
                        + (task.fencingToken() != fencingToken ? ", now at fencing token " + task.fencingToken() : "")
                        + "). Stop working on it; its result will not be applied.");
    }
}
