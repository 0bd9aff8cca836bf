package org.opendelegate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Log lines from a running task. Every progress call renews the task's lease.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id
 * @param fencingToken the fencing token of the lease
 * @param leaseId the lease id from the {@link TaskAssignment}
 * @param lines new log lines, possibly none
 * @param checkpoint the handler's saved state (a JSON object, at most {@link #MAX_CHECKPOINT_BYTES} as JSON), or
 *     null when this call saves none. The Manager keeps the latest one of the task and hands it to the next
 *     attempt in {@link TaskAssignment#checkpoint()}, so that work like a deployment resumes where it stopped.
 *     A call that carries one is sent synchronously before a change outside the delegate: a 2xx answer also
 *     confirms the lease is still this attempt's. Added in protocol 1 without a version bump.
 */
public record TaskProgress(
        String delegateId,
        String sessionId,
        long fencingToken,
        String leaseId,
        List<LogLine> lines,
        JsonNode checkpoint) {

    /** The most a checkpoint may take as JSON text (UTF-8). */
    public static final int MAX_CHECKPOINT_BYTES = 64 * 1024;

    /** Log lines only, no checkpoint. */
    public TaskProgress(String delegateId, String sessionId, long fencingToken, String leaseId, List<LogLine> lines) {
        this(delegateId, sessionId, fencingToken, leaseId, lines, null);
    }
}
