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
 * @param secrets values the task needs but nobody may see (e.g. an AWS secret access key), as a JSON object,
 *     or null for none. The Manager keeps them encrypted and puts them only here; the delegate hands them to
 *     the handler and never logs them. Added in protocol 1 without a version bump: older delegates ignore it.
 * @param leaseId the random id of this lease; progress and outcomes about the task must echo it, so that
 *     knowing a task id and its (counting) fencing token is not enough to report about it
 * @param checkpoint the latest state an earlier attempt of this task saved ({@link TaskProgress#checkpoint()}),
 *     or null when none did: the handler resumes from it. Added in protocol 1 without a version bump.
 */
public record TaskAssignment(
        String taskId,
        String type,
        JsonNode payload,
        long fencingToken,
        int attempt,
        long leaseMillis,
        long timeoutMillis,
        JsonNode secrets,
        String leaseId,
        JsonNode checkpoint) {

    /** An assignment that carries no checkpoint. */
    public TaskAssignment(
            String taskId,
            String type,
            JsonNode payload,
            long fencingToken,
            int attempt,
            long leaseMillis,
            long timeoutMillis,
            JsonNode secrets,
            String leaseId) {
        this(taskId, type, payload, fencingToken, attempt, leaseMillis, timeoutMillis, secrets, leaseId, null);
    }

    /** An assignment without secrets. */
    public TaskAssignment(
            String taskId,
            String type,
            JsonNode payload,
            long fencingToken,
            int attempt,
            long leaseMillis,
            long timeoutMillis) {
        this(taskId, type, payload, fencingToken, attempt, leaseMillis, timeoutMillis, null, null, null);
    }

    /** Like the generated one, but never with the secrets or the lease id: an assignment may end up in a log line. */
    @Override
    public String toString() {
        return "TaskAssignment[taskId=" + taskId + ", type=" + type + ", fencingToken=" + fencingToken + ", attempt="
                + attempt + ", leaseMillis=" + leaseMillis + ", timeoutMillis=" + timeoutMillis + ", secrets="
                + (secrets == null || secrets.isNull() ? "none" : "[" + secrets.size() + " hidden]") + ", checkpoint="
                + (checkpoint == null || checkpoint.isNull() ? "none" : "present") + "]";
    }
}
