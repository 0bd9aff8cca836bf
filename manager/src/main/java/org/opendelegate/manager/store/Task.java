package org.opendelegate.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opendelegate.protocol.ErrorKind;

/**
 * A unit of work for a delegate, with everything needed to route it, lease it and keep its result.
 *
 * @param selectors the selectors a delegate must have (lower case)
 * @param fencingToken grows with every lease; only the holder of the current token may report
 * @param attempts how many leases were taken so far
 * @param timeoutMs the whole time budget from submission, across attempts
 * @param scope the task's scope target (dimension → value), empty when none
 * @param selectionLog the latest selection log as JSON text
 */
public record Task(
        String id,
        String accountId,
        String type,
        JsonNode payload,
        List<String> selectors,
        TaskState state,
        String delegateId,
        String sessionId,
        long fencingToken,
        int attempts,
        int maxAttempts,
        long timeoutMs,
        boolean sync,
        String idempotencyKey,
        String affinityKey,
        Map<String, String> scope,
        boolean cancelRequested,
        Instant leaseExpiresAt,
        JsonNode result,
        ErrorKind errorKind,
        String errorMessage,
        String selectionLog,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /** When the task's time budget runs out. */
    public Instant deadline() {
        return createdAt.plusMillis(timeoutMs);
    }
}
