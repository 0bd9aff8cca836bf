package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.opendelegate.protocol.TaskAssignment;

/**
 * A task this delegate holds a lease on: its assignment, log, thread, and why it was stopped, if it was.
 */
public final class RunningTask {
    private final TaskAssignment assignment;
    private final TaskLog log;
    private final Instant deadline;
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Thread thread;
    private volatile Duration stopGrace = Duration.ZERO;
    private volatile Instant lastReportAt;
    private final AtomicReference<PendingCheckpoint> checkpoint = new AtomicReference<>();

    RunningTask(TaskAssignment assignment, TaskLog log, Instant startedAt) {
        this.assignment = assignment;
        this.log = log;
        this.deadline = assignment.timeoutMillis() > 0 ? startedAt.plusMillis(assignment.timeoutMillis()) : Instant.MAX;
        this.lastReportAt = startedAt;
    }

    /** The task id. */
    public String taskId() {
        return assignment.taskId();
    }

    /** The fencing token of the lease. */
    public long fencingToken() {
        return assignment.fencingToken();
    }

    /** The lease id of the assignment; every call about the task echoes it. */
    public String leaseId() {
        return assignment.leaseId();
    }

    /** The lease length the Manager set for this task. */
    public long leaseMillis() {
        return assignment.leaseMillis();
    }

    /** The assignment. */
    public TaskAssignment assignment() {
        return assignment;
    }

    /** Lines not yet sent. */
    public TaskLog log() {
        return log;
    }

    /** When the task times out ({@link Instant#MAX} without a timeout). */
    public Instant deadline() {
        return deadline;
    }

    /** When the Manager last heard about this task (start, or the last progress it accepted). */
    public Instant lastReportAt() {
        return lastReportAt;
    }

    /** Records that the Manager accepted progress for this task. */
    public void reported(Instant at) {
        lastReportAt = at;
    }

    /** The checkpoint the handler waits to have saved, or null. */
    public PendingCheckpoint pendingCheckpoint() {
        return checkpoint.get();
    }

    /** Takes the checkpoint off the task once the reporting loop has its answer (or the handler gave up). */
    public void checkpointDone(PendingCheckpoint done) {
        checkpoint.compareAndSet(done, null);
    }

    PendingCheckpoint requestCheckpoint(JsonNode state) {
        PendingCheckpoint pending = new PendingCheckpoint(state);
        checkpoint.set(pending);
        return pending;
    }

    /** Why the task was stopped, or null while it may run on. */
    public StopReason stopReason() {
        return stopReason.get();
    }

    /**
     * Stops the task by interrupting its thread. The first reason wins, except that a lost lease
     * overrides any other: once the lease is gone no result may be sent, whatever else happened.
     */
    boolean stop(StopReason reason) {
        boolean changed = reason == StopReason.LEASE_LOST
                ? stopReason.getAndSet(reason) != reason
                : stopReason.compareAndSet(null, reason);
        Thread running = thread;
        if (changed && running != null) {
            running.interrupt();
        }
        return changed;
    }

    void runOn(Thread thread, Duration grace) {
        this.thread = thread;
        this.stopGrace = grace;
    }

    /** How long the handler may take to stop once interrupted (a script's grace period); zero for most. */
    public Duration stopGrace() {
        return stopGrace;
    }

    /** True for the one caller that gets to report this task's end. */
    boolean claimCompletion() {
        return completed.compareAndSet(false, true);
    }
}
