package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;

/**
 * A cloud provider as stored. The secret access key is kept only sealed with the master key for
 * {@code "cloud-provider:" + id}; this record never holds it in the clear.
 *
 * @param credentialsType {@code DELEGATE_IAM_ROLE} or {@code ACCESS_KEY}
 * @param delegateSelectors the selectors a delegate needs to act for this provider (lower case)
 * @param accessKeyId the access key id ({@code ACCESS_KEY} only)
 * @param sealedSecretAccessKey the sealed secret access key ({@code ACCESS_KEY} only)
 * @param roleArn the cross-account role to assume, or null
 * @param externalId the external id for that role, or null
 * @param lastTest the outcome of the last Test, or null when never tested
 */
public record CloudProvider(
        String id,
        String accountId,
        String name,
        String type,
        String region,
        String credentialsType,
        List<String> delegateSelectors,
        String accessKeyId,
        String sealedSecretAccessKey,
        String roleArn,
        String externalId,
        LastTest lastTest,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {

    /** The last Test: when, whether it connected, what it said, the task and the delegate that ran it. */
    public record LastTest(Instant at, boolean ok, String message, String taskId, String delegateName) {}

    /** Sealed, but still nothing a log line needs. */
    @Override
    public String toString() {
        return "CloudProvider[id=" + id + ", name=" + name + ", region=" + region + ", credentialsType="
                + credentialsType + "]";
    }
}
