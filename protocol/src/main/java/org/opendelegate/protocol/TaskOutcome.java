package org.opendelegate.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The end of a task attempt. Retrying the same outcome is safe: the Manager applies it once.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id under which the task was leased
 * @param fencingToken the fencing token of the lease
 * @param status how it ended
 * @param result the JSON result when it succeeded
 * @param error the failure otherwise
 */
public record TaskOutcome(
        String delegateId,
        String sessionId,
        long fencingToken,
        OutcomeStatus status,
        JsonNode result,
        TaskError error) {
}
