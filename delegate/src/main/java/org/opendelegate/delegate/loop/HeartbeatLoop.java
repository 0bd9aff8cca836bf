package org.opendelegate.delegate.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.profile.ProfileKeeper;
import org.opendelegate.delegate.run.StopReason;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.HeartbeatResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the Manager the delegate is alive, at the interval the Manager sets (±10% jitter), with the
 * tasks it holds; stops the tasks the answer names and applies the profile version it assigns. Separate from the poll loop, so a long poll never
 * delays a heartbeat.
 */
public final class HeartbeatLoop extends ManagedLoop {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLoop.class);

    private final RandomGenerator random;
    private final ProfileKeeper profiles;
    private Session seen;
    private Duration interval;

    public HeartbeatLoop(LoopContext context, RandomGenerator random, ProfileKeeper profiles) {
        super("heartbeat", context);
        this.random = random;
        this.profiles = profiles;
    }

    @Override
    protected void loop() throws InterruptedException, DelegateStopping {
        Retrier retrier = new Retrier(Backoff.standard(), sleeper);
        follow(sessions.current());
        waitInterval();
        while (!stopped()) {
            if (beatOnce(retrier)) {
                waitInterval();
            }
        }
    }

    private boolean beatOnce(Retrier retrier) throws InterruptedException, DelegateStopping {
        Session session = sessions.current();
        follow(session);
        health.beat();
        try {
            // The leases as sent: the answer's verdicts are about these, not about a lease taken meanwhile.
            Map<String, Long> held = runner.heldLeases();
            HeartbeatResponse answer = client.heartbeat(
                    new HeartbeatRequest(session.delegateId(), session.sessionId(), new ArrayList<>(held.keySet())));
            retrier.succeeded();
            health.connected(true);
            if (answer.heartbeatIntervalMillis() > 0) {
                interval = Duration.ofMillis(answer.heartbeatIntervalMillis());
            }
            apply(answer, held);
            return true;
        } catch (ManagerCallException e) {
            health.connected(false);
            // Never silent for longer than the interval: a Manager that comes back after a restart must hear
            // from the delegate before it counts it as gone (and gives its tasks to no one).
            sessions.recover("Heartbeat", e, session, retrier, interval);
            return false;
        }
    }

    private void apply(HeartbeatResponse answer, Map<String, Long> held) {
        profiles.assign(answer.profile());
        for (String taskId : orEmpty(answer.cancelTaskIds())) {
            if (runner.stop(taskId, StopReason.CANCELLED)) {
                LOG.info("The Manager cancelled task {}; stopping it", taskId);
            }
        }
        for (String taskId : orEmpty(answer.lostTaskIds())) {
            Long fencingToken = held.get(taskId);
            if (fencingToken != null) {
                runner.leaseLost(taskId, fencingToken);
            }
        }
    }

    private void waitInterval() throws InterruptedException {
        Duration wait = Jitter.around(interval, random);
        health.beatBefore(wait);
        sleeper.sleep(wait);
    }

    // A new session brings its own interval; a heartbeat answer may change it later.
    private void follow(Session session) {
        if (!session.equals(seen)) {
            seen = session;
            interval = session.heartbeatInterval();
            inSession(session);
            profiles.assign(session.profile());
        }
    }

    static List<String> orEmpty(List<String> ids) {
        return ids == null ? List.of() : ids;
    }
}
