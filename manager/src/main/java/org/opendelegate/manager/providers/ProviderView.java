package org.opendelegate.manager.providers;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.CloudProvider;

/**
 * A cloud provider as the API shows it. The secret access key is never in it, only whether one is stored.
 */
public record ProviderView(
        String id,
        String name,
        String type,
        String region,
        Credentials credentials,
        CloudProviderRequest.CrossAccountRole crossAccountRole,
        LastTest lastTest,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {

    /** The credentials mode; {@code hasSecretAccessKey} instead of the secret. */
    public record Credentials(
            String type, List<String> delegateSelectors, String accessKeyId, Boolean hasSecretAccessKey) {}

    /** The last Test. */
    public record LastTest(Instant at, boolean connected, String message, String taskId, String delegateName) {}

    static ProviderView of(CloudProvider p) {
        boolean accessKey = ProviderRules.ACCESS_KEY.equals(p.credentialsType());
        CloudProvider.LastTest t = p.lastTest();
        return new ProviderView(
                p.id(),
                p.name(),
                p.type(),
                p.region(),
                new Credentials(
                        p.credentialsType(),
                        p.delegateSelectors(),
                        p.accessKeyId(),
                        accessKey ? p.sealedSecretAccessKey() != null : null),
                p.roleArn() == null ? null : new CloudProviderRequest.CrossAccountRole(p.roleArn(), p.externalId()),
                t == null ? null : new LastTest(t.at(), t.ok(), t.message(), t.taskId(), t.delegateName()),
                p.createdBy(),
                p.createdAt(),
                p.updatedBy(),
                p.updatedAt());
    }

    /** "Assume IAM Role on Delegate" or "Access key", plus the cross-account role if any, for people. */
    public String modeLabel() {
        String mode =
                ProviderRules.ACCESS_KEY.equals(credentials.type()) ? "Access key" : "Assume IAM Role on Delegate";
        return crossAccountRole == null ? mode : mode + " + cross-account role";
    }
}
