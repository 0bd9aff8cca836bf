package org.opendelegate.protocol;

import java.util.List;

/**
 * "I am alive, and these are the tasks I am running." Renews the leases of the listed tasks.
 *
 * @param delegateId the delegate id from registration
 * @param sessionId the session id from registration
 * @param runningTaskIds the tasks running right now
 */
public record HeartbeatRequest(String delegateId, String sessionId, List<String> runningTaskIds) {}
