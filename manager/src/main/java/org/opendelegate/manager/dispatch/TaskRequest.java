package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A task submission, as {@code POST /api/v1/tasks} takes it. Only {@code type} is required.
 *
 * @param type the task type, e.g. {@code echo}
 * @param payload the task's JSON input (an object)
 * @param selectors selectors a delegate must have, all of them
 * @param timeoutSeconds the whole time budget, from submission
 * @param sync wait for the end before answering (for short lookups)
 * @param idempotencyKey a repeated submission with the same key returns the first task
 * @param maxAttempts how many delegates may try it
 * @param affinityKey what the task works on (e.g. a cloud provider id), for routing by history
 * @param scope the scope target, e.g. {@code {"environmentType": "PROD", "application": "payments"}}; groups'
 *     include and exclude scopes are matched against it
 */
public record TaskRequest(
        String type,
        JsonNode payload,
        List<String> selectors,
        Integer timeoutSeconds,
        Boolean sync,
        String idempotencyKey,
        Integer maxAttempts,
        String affinityKey,
        Map<String, String> scope) {}
