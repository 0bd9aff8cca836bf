package org.opendelegate.delegate.loop;

import java.time.Clock;
import java.time.Duration;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.FailureKind;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.profile.ProfileReporter;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.PendingOutcome;
import org.opendelegate.delegate.run.RunningTask;
import org.opendelegate.delegate.run.StopReason;
import org.opendelegate.delegate.run.TaskLog;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.support.DelegateStopping;
import org.opendelegate.delegate.support.Sleeper;
import org.opendelegate.delegate.support.StopSignal;
import org.opendelegate.protocol.OutcomeResponse;
import org.opendelegate.protocol.TaskOutcome;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.protocol.TaskProgressResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams task logs and delivers outcomes, on one thread for all tasks, and reports profile runs. While a task has new lines they
 * go out at most every {@value #BATCH_MILLIS} ms; without lines an empty progress at a third of the
 * lease renews it. A finished task's remaining lines are flushed before its outcome, and outcomes stay
 * in the {@link Outbox} until the Manager answered them for good. Sleeps while there is nothing to do.
 */
public final class ReportingLoop extends ManagedLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ReportingLoop.class);
    static final long BATCH_MILLIS = 250;
    static final int MAX_LINES_PER_CALL = 500;
    static final Duration IDLE_WAIT = Duration.ofSeconds(30);

    private final ManagerClient client;
    private final SessionKeeper sessions;
    private final TaskRunner runner;
    private final Outbox outbox;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ProfileReporter profiles;
    private final Object wakeup = new Object();
    private boolean woken;

    public ReportingLoop(ManagerClient client, SessionKeeper sessions, TaskRunner runner, Outbox outbox,
            HealthState health, StopSignal stopSignal, Sleeper sleeper, Clock clock, ProfileReporter profiles) {
        super("report", health, stopSignal);
        this.profiles = profiles;
        this.client = client;
        this.sessions = sessions;
        this.runner = runner;
        this.outbox = outbox;
        this.sleeper = sleeper;
        this.clock = clock;
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
            if (progressDue(task, session, now)) {
                sendProgress(task, session, false);
            }
        }
        for (PendingOutcome outcome : outbox.snapshot()) {
            if (sendProgress(outcome.task(), session, true)) {
                deliver(outcome, session);
            }
        }
        profiles.reportDue(session);
    }

    private boolean progressDue(RunningTask task, Session session, long now) {
        long quiet = now - task.lastReportAt().toEpochMilli();
        if (!task.log().isEmpty()) {
            return quiet >= BATCH_MILLIS;
        }
        long lease = task.leaseMillis() > 0 ? task.leaseMillis() : session.lease().toMillis();
        return quiet >= lease / 3;
    }

    /** Sends pending lines (all of them when {@code flush}); false when the lease turned out to be lost. */
    private boolean sendProgress(RunningTask task, Session session, boolean flush) throws ManagerCallException {
        do {
            if (flush && task.log().isEmpty()) {
                return true;
            }
            TaskLog.Batch batch = task.log().peek(MAX_LINES_PER_CALL);
            try {
                TaskProgressResponse answer = client.progress(task.taskId(),
                        new TaskProgress(session.delegateId(), session.sessionId(), task.fencingToken(), batch.lines()));
                task.log().remove(batch);
                task.reported(clock.instant());
                if (answer.cancelRequested() && runner.stop(task.taskId(), StopReason.CANCELLED)) {
                    LOG.info("The Manager cancelled task {}; stopping it", task.taskId());
                }
            } catch (ManagerCallException e) {
                if (e.kind() == FailureKind.LEASE_LOST) {
                    runner.leaseLost(task.taskId());
                    return false;
                }
                if (e.kind() != FailureKind.REJECTED) {
                    throw e;
                }
                LOG.error("The Manager refused {} log line(s) of task {}; they are dropped: {}", batch.lines().size(),
                        task.taskId(), e.describe());
                task.log().remove(batch);
            }
        } while (flush);
        return true;
    }

    private void deliver(PendingOutcome outcome, Session session) throws ManagerCallException {
        TaskOutcome message = new TaskOutcome(session.delegateId(), session.sessionId(), outcome.task().fencingToken(),
                outcome.status(), outcome.result(), outcome.error());
        try {
            OutcomeResponse answer = client.outcome(outcome.taskId(), message);
            outbox.remove(outcome.taskId());
            LOG.info("Reported task {} {} ({})", outcome.taskId(), outcome.status(), answer.disposition());
        } catch (ManagerCallException e) {
            if (e.kind() == FailureKind.LEASE_LOST) {
                runner.leaseLost(outcome.taskId());
            } else if (e.kind() == FailureKind.REJECTED) {
                outbox.remove(outcome.taskId());
                LOG.error("The Manager refused the {} outcome of task {}; it is dropped: {}", outcome.status(),
                        outcome.taskId(), e.describe());
            } else {
                throw e;
            }
        }
    }

    private void waitForWork() throws InterruptedException {
        boolean busy = runner.runningCount() > 0 || !outbox.isEmpty() || profiles.busy();
        synchronized (wakeup) {
            if (!woken) {
                wakeup.wait(busy ? BATCH_MILLIS : IDLE_WAIT.toMillis());
            }
            woken = false;
        }
    }
}
