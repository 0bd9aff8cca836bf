package org.opendelegate.delegate;

import java.time.Clock;
import java.time.Duration;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.loop.HeartbeatLoop;
import org.opendelegate.delegate.loop.LoopContext;
import org.opendelegate.delegate.loop.PollLoop;
import org.opendelegate.delegate.loop.ReportingLoop;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.StopReason;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.protocol.DeregisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate's shutdown, in named stages: (1) stop taking work, (2) drain running tasks until the
 * deadline, then stop the rest, (3) report outcomes, (4) deregister. After a fatal answer (token
 * refused, session replaced) the Manager accepts nothing more, so stages 3 and 4 are skipped.
 * The deregistration's reason is the stop's: "SIGTERM", or what went wrong.
 */
final class StagedShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(StagedShutdown.class);
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(2);

    private final Duration drainTimeout;
    private final LoopContext loops;
    private final Outbox outbox;

    StagedShutdown(Duration drainTimeout, LoopContext loops, Outbox outbox) {
        this.drainTimeout = drainTimeout;
        this.loops = loops;
        this.outbox = outbox;
    }

    void run(ExitCode code, String reason, PollLoop poll, HeartbeatLoop heartbeat, ReportingLoop reporting)
            throws InterruptedException {
        loops.health().stopping();
        LOG.info("Shutdown stage 1/4, stop taking work ({})", reason);
        poll.stop();
        poll.join(INTERRUPT_GRACE);
        // A revoked token: the Manager already rerouted this delegate's tasks; running them on helps nobody.
        drain(code == ExitCode.UNAUTHORIZED ? Duration.ZERO : drainTimeout);
        if (code.managerStillAccepts()) {
            report(reporting);
        } else if (!outbox.isEmpty()) {
            LOG.warn(
                    "The outcomes of tasks {} cannot be reported: the Manager no longer accepts this delegate",
                    outbox.taskIds());
        }
        heartbeat.stop();
        reporting.stop();
        heartbeat.join(INTERRUPT_GRACE);
        reporting.join(INTERRUPT_GRACE);
        if (code.managerStillAccepts()) {
            deregister(reason);
        }
    }

    private void drain(Duration drainTimeout) throws InterruptedException {
        TaskRunner runner = loops.runner();
        Clock clock = loops.clock();
        LOG.info(
                "Shutdown stage 2/4, drain {} running task(s) for up to {} s",
                runner.runningCount(),
                drainTimeout.toSeconds());
        if (runner.awaitIdle(clock.instant().plus(drainTimeout))) {
            return;
        }
        LOG.warn("Tasks {} still run at the drain deadline; stopping them", runner.runningTaskIds());
        // A script gets its grace period between SIGTERM and SIGKILL before the delegate gives up on it.
        Duration grace = INTERRUPT_GRACE.plus(runner.longestStopGrace());
        runner.stopAll(StopReason.SHUTDOWN);
        if (!runner.awaitIdle(clock.instant().plus(grace))) {
            runner.abandonRunning();
        }
    }

    private void report(ReportingLoop reporting) throws InterruptedException {
        LOG.info("Shutdown stage 3/4, report outcomes");
        reporting.wake();
        Clock clock = loops.clock();
        if (!outbox.awaitEmpty(clock.instant().plus(REPORT_TIMEOUT), clock)) {
            LOG.warn(
                    "Could not report the outcomes of tasks {} before shutting down; the Manager will reroute"
                            + " them when their leases expire",
                    outbox.taskIds());
        }
    }

    private void deregister(String reason) {
        LOG.info("Shutdown stage 4/4, deregister");
        Session session = loops.sessions().current();
        try {
            loops.client()
                    .deregister(
                            new DeregisterRequest(session.delegateId(), session.sessionId(), reason),
                            DEREGISTER_TIMEOUT);
        } catch (ManagerCallException e) {
            LOG.warn(
                    "Could not deregister ({}); the Manager will show this delegate disconnected when its heartbeats"
                            + " stop",
                    e.describe());
        }
    }
}
