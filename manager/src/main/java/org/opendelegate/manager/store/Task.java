package org.opendelegate.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.protocol.ErrorKind;

/**
 * A unit of work for a delegate, with everything needed to route it, lease it and keep its result. New
 * tasks are made with {@link #queued}; the full constructor is for the store's row mapping.
 *
 * @param selectors the selectors a delegate must have (lower case)
 * @param fencingToken grows with every lease; only the holder of the current token may report
 * @param attempts how many leases were taken so far
 * @param timeoutMs the whole time budget from submission, across attempts
 * @param scope the task's scope target (dimension → value), empty when none
 * @param selectionLog the latest selection log as JSON text
 * @param sealedSecrets the task's secrets as JSON sealed with the master key for {@code "task:" + id}, or null;
 *     only the dispatcher opens them, into the assignment
 * @param leaseId the random id of the current (or last) lease; progress and outcomes must name it
 * @param source who started the task: {@code api} (submitted through the API), {@code lookup} (a cloud provider
 *     Test or lookup asked for through the API) or {@code console-lookup} (the same, asked for in the console)
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
        Instant finishedAt,
        String sealedSecrets,
        String leaseId,
        String source) {
    /** Prefix of lease ids, so a leaked one is recognisable. */
    public static final String LEASE_ID_PREFIX = "odl_";

    /**
     * What a submitter asks for; fixed for the task's whole life.
     *
     * @param selectors the selectors a delegate must have (lower case)
     * @param scope the task's scope target (dimension → value), empty when none
     * @param affinityKey what the task works on, for routing by history; null when none
     * @param idempotencyKey a repeated submission with this key returns the first task; null when none
     * @param timeoutMs the whole time budget from submission, across attempts
     * @param sync whether the submitter waits for the end
     * @param source who starts the task ({@code api}, {@code lookup}, {@code console-lookup})
     */
    public record Spec(
            String type,
            JsonNode payload,
            List<String> selectors,
            Map<String, String> scope,
            String affinityKey,
            String idempotencyKey,
            int maxAttempts,
            long timeoutMs,
            boolean sync,
            String source) {}

    /** A new task waiting in the queue: no lease taken yet, no attempt made, no secrets. */
    public static Task queued(String id, String accountId, Spec spec, String createdBy, Instant createdAt) {
        return new Task(
                id,
                accountId,
                spec.type(),
                spec.payload(),
                spec.selectors(),
                TaskState.QUEUED,
                null,
                null,
                0,
                0,
                spec.maxAttempts(),
                spec.timeoutMs(),
                spec.sync(),
                spec.idempotencyKey(),
                spec.affinityKey(),
                spec.scope(),
                false,
                null,
                null,
                null,
                null,
                null,
                createdBy,
                createdAt,
                null,
                null,
                null,
                null,
                spec.source());
    }

    /**
     * This queued task as it is once leased to a delegate session: the next fencing token and attempt, the
     * lease with a new random lease id, and the routing decision that chose the delegate.
     */
    public Task leasedTo(String delegateId, String sessionId, Instant leaseUntil, Instant now, String log) {
        return new Task(
                id,
                accountId,
                type,
                payload,
                selectors,
                TaskState.RUNNING,
                delegateId,
                sessionId,
                fencingToken + 1,
                attempts + 1,
                maxAttempts,
                timeoutMs,
                sync,
                idempotencyKey,
                affinityKey,
                scope,
                false,
                leaseUntil,
                null,
                null,
                null,
                log,
                createdBy,
                createdAt,
                startedAt == null ? now : startedAt,
                null,
                sealedSecrets,
                Secrets.generate(LEASE_ID_PREFIX),
                source);
    }

    /** The same task with sealed secrets. */
    public Task withSealedSecrets(String sealed) {
        return new Task(
                id,
                accountId,
                type,
                payload,
                selectors,
                state,
                delegateId,
                sessionId,
                fencingToken,
                attempts,
                maxAttempts,
                timeoutMs,
                sync,
                idempotencyKey,
                affinityKey,
                scope,
                cancelRequested,
                leaseExpiresAt,
                result,
                errorKind,
                errorMessage,
                selectionLog,
                createdBy,
                createdAt,
                startedAt,
                finishedAt,
                sealed,
                leaseId,
                source);
    }

    /** The text form leaves the sealed secrets out: they are ciphertext, but a log has no use for them. */
    @Override
    public String toString() {
        return "Task[id=" + id + ", type=" + type + ", state=" + state + ", delegateId=" + delegateId
                + ", fencingToken=" + fencingToken + ", attempts=" + attempts + "]"; // never the lease id
    }

    /** When the task's time budget runs out. */
    public Instant deadline() {
        return createdAt.plusMillis(timeoutMs);
    }
}
