package org.opendelegate.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The end of one task attempt. Retrying the same outcome is safe: the Manager applies it once.
 *
 * @param taskId the task
 * @param fencingToken the fencing token of the lease
 * @param leaseId the lease id from the {@link TaskAssignment}
 * @param status how it ended
 * @param result the JSON result when it succeeded
 * @param error the failure otherwise
 */
public record TaskOutcome(
        String taskId, long fencingToken, String leaseId, OutcomeStatus status, JsonNode result, TaskError error) {}
