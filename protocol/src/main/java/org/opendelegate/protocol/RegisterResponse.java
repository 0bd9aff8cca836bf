package org.opendelegate.protocol;

import java.util.List;

/**
 * The Manager accepts a delegate and sets the pace of the conversation.
 *
 * @param delegateId the delegate's stable id
 * @param sessionId the id of this registration; calls with an older session are refused
 * @param groupId the id of the delegate's group
 * @param name the name the Manager recorded (it may add a suffix to keep two live ECS tasks apart)
 * @param heartbeatIntervalMillis how often to heartbeat (add jitter)
 * @param pollWaitMillis how long the Manager holds a poll open when there is no work
 * @param leaseMillis how long a task lease lasts without renewal
 * @param effectiveSelectors the selectors that route tasks to this delegate
 * @param profile the delegate profile to apply before taking work, with its script; null from a Manager
 *     that predates profiles
 * @param sessionToken the session credential: every later call sends it as {@code Authorization: Bearer
 *     <sessionToken>}, and a registration may present it instead of the delegate token to re-register the
 *     same delegate. A secret: never logged.
 */
public record RegisterResponse(
        String delegateId,
        String sessionId,
        String groupId,
        String name,
        long heartbeatIntervalMillis,
        long pollWaitMillis,
        long leaseMillis,
        List<String> effectiveSelectors,
        ProfileAssignment profile,
        String sessionToken) {

    /** An answer without a profile assignment, as a Manager that predates profiles sends. */
    public RegisterResponse(
            String delegateId,
            String sessionId,
            String groupId,
            String name,
            long heartbeatIntervalMillis,
            long pollWaitMillis,
            long leaseMillis,
            List<String> effectiveSelectors) {
        this(
                delegateId,
                sessionId,
                groupId,
                name,
                heartbeatIntervalMillis,
                pollWaitMillis,
                leaseMillis,
                effectiveSelectors,
                null,
                null);
    }

    /** Like the generated one, but never with the session credential: an answer may end up in a log line. */
    @Override
    public String toString() {
        return "RegisterResponse[delegateId=" + delegateId + ", sessionId=" + sessionId + ", groupId=" + groupId
                + ", name=" + name + ", sessionToken=" + (sessionToken == null ? "none" : "[hidden]") + "]";
    }
}
