package org.opendelegate.delegate.run;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs leased tasks, one thread each, at most {@code capacity} at once. The poll loop reserves free
 * slots before it polls and starts each assignment on one of them; a finished task gives its slot back
 * and leaves its outcome in the {@link Outbox}.
 */
public final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** The disk a task's log may take while the Manager is unreachable. */
    static final long MAX_SPILL_BYTES = 256L * 1024 * 1024;

    private final Map<String, TaskHandler> handlers;
    private final Semaphore slots;
    private final Outbox outbox;
    private final Clock clock;
    private final Supplier<String> delegateId;
    private final Runnable onStarted;
    private final Runnable onSlotFreed;
    private final Path logSpillDir;
    private final TaskTimeouts timeouts = new TaskTimeouts();
    private final Map<String, RunningTask> running = new ConcurrentHashMap<>();

    /**
     * @param handlers the handlers by task type
     * @param capacity how many tasks may run at once
     * @param outbox where outcomes go
     * @param clock the clock
     * @param delegateId the current delegate id, for the task threads' log context
     * @param onStarted called after a task started, to wake the loop that streams its log
     * @param onSlotFreed called after a task gave its slot back, so a poll waiting without free slots can
     *     ask again with one
     */
    public TaskRunner(
            Map<String, TaskHandler> handlers,
            int capacity,
            Outbox outbox,
            Clock clock,
            Supplier<String> delegateId,
            Runnable onStarted,
            Runnable onSlotFreed) {
        this(handlers, capacity, outbox, clock, delegateId, onStarted, onSlotFreed, null);
    }

    /**
     * @param logSpillDir where a task's log lines go when the Manager is unreachable and memory is full
     *     ({@link TaskLog}); null to keep logs in memory only
     */
    public TaskRunner(
            Map<String, TaskHandler> handlers,
            int capacity,
            Outbox outbox,
            Clock clock,
            Supplier<String> delegateId,
            Runnable onStarted,
            Runnable onSlotFreed,
            Path logSpillDir) {
        this.logSpillDir = logSpillDir;
        this.handlers = Map.copyOf(handlers);
        this.slots = new Semaphore(capacity);
        this.outbox = outbox;
        this.clock = clock;
        this.delegateId = delegateId;
        this.onStarted = onStarted;
        this.onSlotFreed = onSlotFreed;
    }

    /** How many slots are free right now (not reserved by a poll, not running a task). */
    public int freeSlots() {
        return slots.availablePermits();
    }

    /** Reserves every free slot for the next poll; returns how many. */
    public int reserveSlots() {
        return slots.drainPermits();
    }

    /** Gives back reserved slots the poll did not fill. */
    public void releaseSlots(int count) {
        if (count > 0) {
            slots.release(count);
        }
    }

    /** Starts a task on one reserved slot; false when the slot was not used (duplicate or unknown type). */
    public boolean start(TaskAssignment assignment) {
        String taskId = assignment.taskId();
        if (running.containsKey(taskId)) {
            LOG.warn("The Manager assigned task {} again while it still runs here; ignoring the repeat", taskId);
            return false;
        }
        PendingOutcome earlier = outbox.get(taskId);
        if (earlier != null && earlier.task().fencingToken() != assignment.fencingToken()) {
            // A new lease means the Manager gave up on the earlier attempt; its outcome would be refused.
            outbox.remove(taskId);
            LOG.warn(
                    "Task {} was leased again (lease {}); the undelivered outcome of lease {} is dropped",
                    taskId,
                    assignment.fencingToken(),
                    earlier.task().fencingToken());
        } else if (earlier != null) {
            LOG.warn("The Manager assigned task {} again under the same lease; its outcome is on its way", taskId);
            return false;
        }
        RunningTask task = new RunningTask(assignment, logOf(assignment), clock.instant());
        TaskHandler handler = handlers.get(assignment.type());
        if (handler == null) {
            task.claimCompletion();
            outbox.add(Outcomes.failed(
                    task,
                    ErrorKind.UNSUPPORTED,
                    "this delegate cannot run tasks of type '" + assignment.type() + "'; it runs "
                            + String.join(", ", handlers.keySet())));
            return false;
        }
        Thread thread = new Thread(new TaskExecution(task, handler, this), "task-" + taskId);
        thread.setDaemon(true);
        task.runOn(thread, stopGraceOf(handler, assignment));
        running.put(taskId, task);
        timeouts.schedule(task, () -> stop(taskId, StopReason.TIMED_OUT));
        thread.start();
        onStarted.run();
        return true;
    }

    private static Duration stopGraceOf(TaskHandler handler, TaskAssignment assignment) {
        try {
            Duration grace = handler.stopGrace(assignment.payload());
            return grace == null || grace.isNegative() ? Duration.ZERO : grace;
        } catch (RuntimeException e) {
            // A payload the handler cannot read fails in run(), before anything needs stopping.
            return Duration.ZERO;
        }
    }

    /**
     * The longest time a running task's handler may take to stop once interrupted: shutdown waits this long
     * before it gives up on them, so a script's grace period between SIGTERM and SIGKILL is honoured.
     */
    public Duration longestStopGrace() {
        return running.values().stream()
                .map(RunningTask::stopGrace)
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    /** A log that wakes the reporting loop when lines arrive, spilling to a file of this attempt. */
    private TaskLog logOf(TaskAssignment assignment) {
        TaskLog.Limits limits = TaskLog.Limits.inMemory();
        if (logSpillDir != null) {
            String name = assignment.taskId().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + assignment.fencingToken();
            limits = limits.spillingTo(logSpillDir.resolve(name + ".spill"), MAX_SPILL_BYTES);
        }
        return new TaskLog(clock, limits, onStarted);
    }

    /** Wakes the loop that streams logs, e.g. to send a checkpoint a handler waits for. */
    void wakeReporting() {
        onStarted.run();
    }

    /** The current delegate id, for the task threads' log context. */
    String delegateId() {
        return delegateId.get();
    }

    Clock clock() {
        return clock;
    }

    /** Answers an assignment without running it (no slot for it, or shutting down). */
    public void refuse(TaskAssignment assignment, ErrorKind kind, String message) {
        RunningTask task = new RunningTask(assignment, new TaskLog(clock), clock.instant());
        task.claimCompletion();
        outbox.add(Outcomes.failed(task, kind, message));
    }

    /** Stops a running task; true when it was running and not stopped before. */
    public boolean stop(String taskId, StopReason reason) {
        RunningTask task = running.get(taskId);
        return task != null && task.stop(reason);
    }

    /**
     * This delegate no longer holds the lease with this fencing token: stop the task and drop whatever it would
     * report. A verdict about an earlier lease leaves a newer lease of the same task alone: the Manager may have
     * leased the task here again while the verdict (a heartbeat's answer, say) was on its way.
     */
    public synchronized void leaseLost(String taskId, long fencingToken) {
        RunningTask task = running.get(taskId);
        boolean stopped = task != null && task.fencingToken() == fencingToken;
        if (stopped) {
            task.stop(StopReason.LEASE_LOST);
            task.log().clear();
        }
        PendingOutcome pending = outbox.get(taskId);
        boolean dropped = pending != null && pending.task().fencingToken() == fencingToken && outbox.remove(pending);
        if (dropped || stopped) {
            LOG.warn(
                    "Lease on task {} lost (expired, rerouted or cancelled on the Manager); its result is dropped",
                    taskId);
        }
    }

    /** Stops every running task. */
    public void stopAll(StopReason reason) {
        running.values().forEach(task -> task.stop(reason));
    }

    /** Reports tasks that ignored their interrupt as failed, so a shutdown never waits on them forever. */
    public void abandonRunning() {
        for (RunningTask task : new ArrayList<>(running.values())) {
            task.stop(StopReason.SHUTDOWN);
            LOG.warn("Task {} did not stop when interrupted; reporting it as failed", task.taskId());
            finish(task, Outcomes.stopped(task));
        }
    }

    synchronized void finish(RunningTask task, PendingOutcome outcome) {
        if (!task.claimCompletion()) {
            return;
        }
        running.remove(task.taskId());
        timeouts.cancel(task);
        slots.release();
        if (task.stopReason() == StopReason.LEASE_LOST) {
            task.log().clear();
            LOG.warn(
                    "Task {} ended after its lease was lost; its {} outcome is dropped",
                    task.taskId(),
                    outcome.status());
        } else {
            outbox.add(outcome);
        }
        notifyAll();
        onSlotFreed.run();
    }

    /** Waits until no task runs or {@code deadline} passes; true when none runs. */
    public synchronized boolean awaitIdle(Instant deadline) throws InterruptedException {
        while (!running.isEmpty()) {
            long left = deadline.toEpochMilli() - clock.millis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** The tasks running now. */
    public Collection<RunningTask> running() {
        return running.values();
    }

    /** The ids of the tasks running now. */
    public List<String> runningTaskIds() {
        return new ArrayList<>(running.keySet());
    }

    /**
     * The tasks whose leases this delegate holds: the running ones and the finished ones whose outcome
     * the Manager has not accepted yet. Those are sent as "running" at registration and in heartbeats,
     * so that the Manager neither reroutes a finished task nor lets its lease lapse while its outcome
     * waits for the Manager to come back.
     */
    public List<String> heldTaskIds() {
        return new ArrayList<>(heldLeases().keySet());
    }

    /** The leases this delegate holds ({@link #heldTaskIds()}), each task's id with its fencing token. */
    public synchronized Map<String, Long> heldLeases() {
        Map<String, Long> leases = new LinkedHashMap<>();
        running.values().forEach(task -> leases.put(task.taskId(), task.fencingToken()));
        for (PendingOutcome pending : outbox.snapshot()) {
            leases.putIfAbsent(pending.task().taskId(), pending.task().fencingToken());
        }
        return leases;
    }

    /** How many tasks run now. */
    public int runningCount() {
        return running.size();
    }

    /** The task types this delegate runs. */
    public List<String> taskTypes() {
        return List.copyOf(handlers.keySet());
    }
}
