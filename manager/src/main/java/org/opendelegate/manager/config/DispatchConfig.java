package org.opendelegate.manager.config;

import java.time.Duration;

/**
 * How tasks are handed out.
 *
 * @param noEligibleWait how long a task waits for an eligible delegate to appear before it fails as
 *     {@code NOT_ASSIGNED}
 * @param defaultTimeout the time budget of a task that names none
 * @param maxTimeout the largest time budget a task may ask for
 * @param defaultMaxAttempts how many leases a task gets when it names no limit
 * @param sweepInterval how often leases, queues and cancellations are checked
 * @param capabilityFailureAvoid how long a delegate that failed a task's affinity key with a capability
 *     error is avoided for that key
 */
public record DispatchConfig(
        Duration noEligibleWait,
        Duration defaultTimeout,
        Duration maxTimeout,
        int defaultMaxAttempts,
        Duration sweepInterval,
        Duration capabilityFailureAvoid) {}
