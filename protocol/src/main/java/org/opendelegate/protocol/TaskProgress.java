package org.opendelegate.protocol;

import java.util.List;

/**
 * Log lines from a running task. Every progress call renews the task's lease.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id
 * @param fencingToken the fencing token of the lease
 * @param leaseId the lease id from the {@link TaskAssignment}
 * @param lines new log lines, possibly none
 */
public record TaskProgress(
        String delegateId, String sessionId, long fencingToken, String leaseId, List<LogLine> lines) {}
