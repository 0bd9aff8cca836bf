package org.opendelegate.delegate.session;

import java.time.Duration;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.RegisterResponse;

/**
 * One registration with the Manager and the pace it set. Replaced as a whole when the delegate
 * registers again.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id
 * @param name the name the Manager recorded
 * @param heartbeatInterval how often to heartbeat
 * @param pollWait how long the Manager holds a poll
 * @param lease how long a task lease lasts without renewal
 * @param profile the delegate profile to apply, or null from a Manager without profiles
 */
public record Session(
        String delegateId,
        String sessionId,
        String name,
        Duration heartbeatInterval,
        Duration pollWait,
        Duration lease,
        ProfileAssignment profile) {
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(25);
    static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    /** The session a registration answer describes; zero or missing values fall back to the defaults. */
    static Session from(RegisterResponse response, String requestedName) {
        return new Session(
                response.delegateId(),
                response.sessionId(),
                response.name() == null ? requestedName : response.name(),
                positive(response.heartbeatIntervalMillis(), DEFAULT_HEARTBEAT),
                positive(response.pollWaitMillis(), DEFAULT_POLL_WAIT),
                positive(response.leaseMillis(), DEFAULT_LEASE),
                response.profile());
    }

    static Duration positive(long millis, Duration fallback) {
        return millis > 0 ? Duration.ofMillis(millis) : fallback;
    }
}
