package org.opendelegate.delegate.loop;

import java.time.Duration;
import java.util.List;
import org.opendelegate.delegate.client.AbortHandle;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.profile.ProfileKeeper;
import org.opendelegate.delegate.run.StopReason;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.PollRequest;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.TaskAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls for work: reserves the free slots, asks for that many tasks (possibly none, then the poll
 * only waits for cancellations), starts what the Manager leased, and polls again at once. Until the
 * delegate profile's first run has ended it takes no work. Stopping it aborts the poll in flight.
 */
public final class PollLoop extends ManagedLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    // An empty answer faster than this means a Manager that does not hold polls; do not hammer it.
    static final Duration TOO_FAST = Duration.ofMillis(200);
    static final Duration EASE_OFF = Duration.ofSeconds(1);

    private final ProfileKeeper profiles;
    private final AbortHandle abort = new AbortHandle();
    // A poll with no free slot only waits for cancellations. When a task ends meanwhile, the poll is cut
    // so the freed slot is offered at once instead of after the whole poll wait.
    private volatile boolean waitingWithoutSlot;
    private volatile boolean cutForSlot;

    public PollLoop(LoopContext context, ProfileKeeper profiles) {
        super("poll", context);
        this.profiles = profiles;
    }

    /** Called when a task gave its slot back: a poll waiting without a free slot asks again. */
    public void slotFreed() {
        if (waitingWithoutSlot) {
            cutForSlot = true;
            abort.cut();
        }
    }

    /** Stops taking work: no new poll, and the poll in flight is cut off. */
    @Override
    public void stop() {
        super.stop();
        abort.abort();
    }

    @Override
    protected void loop() throws InterruptedException, DelegateStopping {
        Retrier retrier = new Retrier(Backoff.standard(), sleeper);
        while (!stopped()) {
            pollOnce(retrier);
        }
    }

    private void pollOnce(Retrier retrier) throws InterruptedException, DelegateStopping {
        Session session = sessions.current();
        inSession(session);
        health.beatBefore(session.pollWait());
        if (!profiles.isReady()) {
            // Before the profile's first run ended nothing runs here, so there is nothing to cancel
            // either: wait for the run instead of polling, and ask for work the moment it ends.
            profiles.awaitReady(session.pollWait());
            return;
        }
        cutForSlot = false;
        abort.clearCut();
        int reserved = runner.reserveSlots();
        waitingWithoutSlot = reserved == 0;
        int used = 0;
        long started = clock.millis();
        ManagerCallException failure = null;
        PollResponse answer = null;
        try {
            answer = client.poll(
                    new PollRequest(session.delegateId(), session.sessionId(), reserved), session.pollWait(), abort);
            retrier.succeeded();
            used = accept(answer, reserved);
        } catch (ManagerCallException e) {
            if (!cutForSlot) {
                failure = e;
            }
        } finally {
            waitingWithoutSlot = false;
            runner.releaseSlots(reserved - used);
        }
        if (cutForSlot) {
            LOG.debug("A task slot became free during a poll without one; polling again with it");
        } else if (failure != null && !stopped()) {
            sessions.recover("Polling for work", failure, session, retrier);
        } else if (answer != null && isEmpty(answer) && clock.millis() - started < TOO_FAST.toMillis()) {
            sleeper.sleep(EASE_OFF);
        }
    }

    private int accept(PollResponse answer, int reserved) {
        int used = 0;
        List<TaskAssignment> assignments = answer.assignments() == null ? List.of() : answer.assignments();
        for (TaskAssignment assignment : assignments) {
            if (assignment.taskId() == null || assignment.taskId().isBlank() || assignment.type() == null) {
                // Without a task id there is nobody to answer; the Manager will see the lease expire.
                LOG.error("The Manager leased a task without a task id or type; ignoring it: {}", assignment);
            } else if (stopped()) {
                runner.refuse(assignment, ErrorKind.CAPABILITY, "the delegate was shutting down when the task arrived");
            } else if (used >= reserved) {
                runner.refuse(
                        assignment,
                        ErrorKind.CAPABILITY,
                        "the delegate had no free slot: the Manager leased " + "more tasks than the poll asked for");
            } else if (runner.start(assignment)) {
                used++;
            }
        }
        for (String taskId : HeartbeatLoop.orEmpty(answer.cancelTaskIds())) {
            if (runner.stop(taskId, StopReason.CANCELLED)) {
                LOG.info("The Manager cancelled task {}; stopping it", taskId);
            }
        }
        return used;
    }

    private static boolean isEmpty(PollResponse answer) {
        return (answer.assignments() == null || answer.assignments().isEmpty())
                && HeartbeatLoop.orEmpty(answer.cancelTaskIds()).isEmpty();
    }
}
