package org.opendelegate.delegate.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.FailureKind;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.profile.ProfileReporter;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.PendingCheckpoint;
import org.opendelegate.delegate.run.PendingOutcome;
import org.opendelegate.delegate.run.RunningTask;
import org.opendelegate.delegate.run.StopReason;
import org.opendelegate.delegate.run.TaskLog;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.OutcomeReportResponse;
import org.opendelegate.protocol.OutcomeResponse;
import org.opendelegate.protocol.TaskOutcome;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.protocol.TaskProgressResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams task logs and delivers outcomes, on one thread for all tasks, and reports profile runs. The first
 * line written to a quiet task's log wakes the loop; a task's lines go out at most every {@value #BATCH_MILLIS}
 * ms, so a line reaches the Manager well within 250 ms, and a task with a backlog sends several full calls in a
 * row. Without lines an empty progress at a third of the lease renews it. A finished task's remaining lines are flushed before its outcome, and outcomes stay
 * in the {@link Outbox} until the Manager answered them for good. Sleeps while there is nothing to do.
 */
public final class ReportingLoop extends ManagedLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ReportingLoop.class);
    static final long BATCH_MILLIS = 100;
    static final int MAX_LINES_PER_CALL = 2_000;
    /** Stays under the Manager's 1 MiB request body with room for the call's other fields. */
    static final long MAX_BYTES_PER_CALL = 900L * 1024;
    /** Full calls one task may send in a row before the other tasks get their turn. */
    static final int MAX_CALLS_IN_A_ROW = 8;

    static final Duration IDLE_WAIT = Duration.ofSeconds(30);

    private final Outbox outbox;
    private final ProfileReporter profiles;
    private final Object wakeup = new Object();
    private boolean woken;

    public ReportingLoop(LoopContext context, Outbox outbox, ProfileReporter profiles) {
        super("report", context);
        this.outbox = outbox;
        this.profiles = profiles;
    }

    /** Wakes the loop: a task started or an outcome is waiting. */
    public void wake() {
        synchronized (wakeup) {
            woken = true;
            wakeup.notifyAll();
        }
    }

    @Override
    protected void loop() throws InterruptedException, DelegateStopping {
        Retrier retrier = new Retrier(Backoff.standard(), sleeper);
        while (!stopped()) {
            health.beatBefore(IDLE_WAIT);
            Session session = sessions.current();
            inSession(session);
            try {
                reportDue(session);
                retrier.succeeded();
            } catch (ManagerCallException e) {
                sessions.recover("Reporting task progress", e, session, retrier);
            }
            waitForWork();
        }
    }

    private void reportDue(Session session) throws ManagerCallException {
        long now = clock.millis();
        for (RunningTask task : runner.running()) {
            PendingCheckpoint checkpoint = task.pendingCheckpoint();
            if (checkpoint != null) {
                saveCheckpoint(task, checkpoint, session);
            } else if (progressDue(task, session, now)) {
                sendProgress(task, session, false);
            }
        }
        List<PendingOutcome> ready = new ArrayList<>();
        for (PendingOutcome outcome : outbox.snapshot()) {
            if (sendProgress(outcome.task(), session, true)) {
                ready.add(outcome);
            }
        }
        for (int from = 0; from < ready.size(); from += OutcomeReport.MAX_OUTCOMES) {
            deliver(ready.subList(from, Math.min(ready.size(), from + OutcomeReport.MAX_OUTCOMES)), session);
        }
        profiles.reportDue(session);
    }

    private boolean progressDue(RunningTask task, Session session, long now) {
        long quiet = now - task.lastReportAt().toEpochMilli();
        if (!task.log().isEmpty()) {
            return quiet >= BATCH_MILLIS;
        }
        long lease =
                task.leaseMillis() > 0 ? task.leaseMillis() : session.lease().toMillis();
        return quiet >= lease / 3;
    }

    /** Sends pending lines (all of them when {@code flush}); false when the lease turned out to be lost. */
    private boolean sendProgress(RunningTask task, Session session, boolean flush) throws ManagerCallException {
        int calls = 0;
        boolean more;
        do {
            if (flush && task.log().isEmpty()) {
                return true;
            }
            TaskLog.Batch batch = task.log().peek(MAX_LINES_PER_CALL, MAX_BYTES_PER_CALL);
            more = batch.full() && ++calls < MAX_CALLS_IN_A_ROW;
            try {
                TaskProgressResponse answer = client.progress(
                        task.taskId(),
                        new TaskProgress(
                                session.delegateId(),
                                session.sessionId(),
                                task.fencingToken(),
                                task.leaseId(),
                                batch.lines()));
                task.log().remove(batch);
                task.reported(clock.instant());
                if (answer.cancelRequested() && runner.stop(task.taskId(), StopReason.CANCELLED)) {
                    LOG.info("The Manager cancelled task {}; stopping it", task.taskId());
                }
            } catch (ManagerCallException e) {
                if (e.kind() == FailureKind.LEASE_LOST) {
                    runner.leaseLost(task.taskId(), task.fencingToken());
                    return false;
                }
                if (e.kind() != FailureKind.REJECTED) {
                    throw e;
                }
                LOG.error(
                        "The Manager refused {} log line(s) of task {}; they are dropped: {}",
                        batch.lines().size(),
                        task.taskId(),
                        e.describe());
                task.log().remove(batch);
            }
        } while (flush || more);
        return true;
    }

    /**
     * Sends every line the task wrote so far, then the checkpoint its handler waits on, in a progress call of
     * its own. A failure the loop retries (Manager unreachable, session lost) leaves the checkpoint waiting for
     * the next turn; the handler bounds how long it waits.
     */
    private void saveCheckpoint(RunningTask task, PendingCheckpoint checkpoint, Session session)
            throws ManagerCallException {
        if (!sendProgress(task, session, true)) {
            checkpoint.leaseGone("the lease on the task was lost");
            return;
        }
        try {
            TaskProgressResponse answer = client.progress(
                    task.taskId(),
                    new TaskProgress(
                            session.delegateId(),
                            session.sessionId(),
                            task.fencingToken(),
                            task.leaseId(),
                            List.of(),
                            checkpoint.state()));
            task.reported(clock.instant());
            if (answer.cancelRequested()) {
                runner.stop(task.taskId(), StopReason.CANCELLED);
                checkpoint.leaseGone("the task was cancelled");
            } else {
                checkpoint.saved();
            }
        } catch (ManagerCallException e) {
            if (e.kind() == FailureKind.LEASE_LOST) {
                runner.leaseLost(task.taskId(), task.fencingToken());
                checkpoint.leaseGone("the lease on the task was lost");
            } else if (e.kind() == FailureKind.REJECTED) {
                checkpoint.refused(e.describe());
            } else {
                throw e;
            }
        }
        task.checkpointDone(checkpoint);
    }

    /** Delivers outcomes in one report; each leaves the outbox once the Manager answered it for good. */
    private void deliver(List<PendingOutcome> outcomes, Session session) throws ManagerCallException {
        List<TaskOutcome> messages = new ArrayList<>();
        for (PendingOutcome o : outcomes) {
            messages.add(new TaskOutcome(
                    o.taskId(), o.task().fencingToken(), o.task().leaseId(), o.status(), o.result(), o.error()));
        }
        OutcomeReportResponse answer =
                client.outcomes(new OutcomeReport(session.delegateId(), session.sessionId(), messages));
        Map<String, PendingOutcome> sent = new HashMap<>();
        outcomes.forEach(o -> sent.put(o.taskId(), o));
        for (OutcomeResponse result : answer.results() == null ? List.<OutcomeResponse>of() : answer.results()) {
            settle(result, sent.get(result.taskId()));
        }
    }

    /**
     * Settles the outcome a report carried. The answer is about that outcome's lease only: while the report
     * was on its way the Manager may have leased the task again and its new outcome may wait in the outbox
     * already; that one stays for the next report.
     */
    private void settle(OutcomeResponse result, PendingOutcome outcome) {
        if (outcome == null) {
            return;
        }
        switch (String.valueOf(result.disposition())) {
            case OutcomeResponse.APPLIED, OutcomeResponse.ALREADY_APPLIED -> {
                if (outbox.remove(outcome)) {
                    LOG.info("Reported task {} {} ({})", result.taskId(), outcome.status(), result.disposition());
                }
            }
            case OutcomeResponse.LEASE_LOST -> {
                if (outbox.remove(outcome)) {
                    LOG.warn(
                            "Lease {} on task {} was lost (expired, rerouted or cancelled on the Manager); its {} "
                                    + "result is dropped",
                            outcome.task().fencingToken(),
                            result.taskId(),
                            outcome.status());
                }
            }
            default -> {
                outbox.remove(outcome);
                LOG.error(
                        "The Manager refused the {} outcome of task {}; it is dropped: {}",
                        outcome.status(),
                        result.taskId(),
                        result.detail());
            }
        }
    }

    /** How long until the next task with waiting lines may send them; at most {@link #BATCH_MILLIS}. */
    private long untilLinesDue() {
        long now = clock.millis();
        long wait = BATCH_MILLIS;
        for (RunningTask task : runner.running()) {
            if (!task.log().isEmpty()) {
                wait = Math.min(wait, task.lastReportAt().toEpochMilli() + BATCH_MILLIS - now);
            }
        }
        return Math.max(1, wait);
    }

    // One bounded wait, not a loop: a spurious wakeup only makes the loop look at its work a little early.
    @SuppressWarnings("WaitNotInLoop")
    private void waitForWork() throws InterruptedException {
        boolean busy = runner.runningCount() > 0 || !outbox.isEmpty() || profiles.busy();
        long wait = busy ? untilLinesDue() : IDLE_WAIT.toMillis();
        synchronized (wakeup) {
            if (!woken) {
                wakeup.wait(wait);
            }
            woken = false;
        }
    }
}
