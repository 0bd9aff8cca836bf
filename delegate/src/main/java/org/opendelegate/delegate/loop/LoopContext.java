package org.opendelegate.delegate.loop;

import java.time.Clock;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.SessionKeeper;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;

/**
 * What every loop (and the shutdown) works with, built once by the delegate so that all are wired alike.
 *
 * @param client the Manager's delegate API
 * @param sessions the session the calls are made in, and what to do when a call fails
 * @param runner the tasks this delegate holds
 * @param health where each loop reports that it is alive
 * @param stopSignal what a loop that meets a fatal answer tells, and what a crashed loop sets
 * @param sleeper how loops wait, so that tests need no real sleeps
 * @param clock the time
 */
public record LoopContext(
        ManagerClient client,
        SessionKeeper sessions,
        TaskRunner runner,
        HealthState health,
        StopSignal stopSignal,
        Sleeper sleeper,
        Clock clock) {}
