package org.opendelegate.manager.config;

import java.time.Duration;

/**
 * The pace of the Manager–Delegate conversation.
 *
 * @param heartbeatInterval how often delegates heartbeat
 * @param disconnectAfter a delegate whose last heartbeat is older than this shows as disconnected
 * @param pollWait how long a poll waits for work before answering empty (below proxy idle timeouts)
 * @param lease how long a task lease lasts without renewal
 * @param ephemeralRetention how long a disconnected ephemeral delegate (container id) stays listed
 * @param stableRetention how long a disconnected stable delegate (host name, instance id) stays listed
 * @param livenessFlush how often a replica writes the last heartbeats it heard to the store, in one batch:
 *     the store's last heartbeat of a live delegate is at most this much behind
 */
public record DelegateTimings(
        Duration heartbeatInterval,
        Duration disconnectAfter,
        Duration pollWait,
        Duration lease,
        Duration ephemeralRetention,
        Duration stableRetention,
        Duration livenessFlush) {}
