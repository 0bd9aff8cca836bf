package org.opendelegate.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One task leased to one delegate.
 *
 * @param taskId the task id
 * @param type the task type, e.g. {@code echo}
 * @param payload the task's JSON input
 * @param fencingToken grows with every lease of this task; the delegate passes it back on every call
 *     about the task, and the Manager refuses calls with a token that is not the current one
 * @param attempt the attempt number, from 1
 * @param leaseMillis how long the lease lasts without renewal
 * @param timeoutMillis how long the task may run in all
 */
public record TaskAssignment(
        String taskId,
        String type,
        JsonNode payload,
        long fencingToken,
        int attempt,
        long leaseMillis,
        long timeoutMillis) {
}
