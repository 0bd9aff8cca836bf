package org.opendelegate.protocol;

import java.util.List;

/**
 * Log lines from a running task. Every progress call renews the task's lease.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id
 * @param fencingToken the fencing token of the lease
 * @param lines new log lines, possibly none
 */
public record TaskProgress(String delegateId, String sessionId, long fencingToken, List<LogLine> lines) {}
