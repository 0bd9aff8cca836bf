package org.opendelegate.manager.providers;

import java.util.List;

/**
 * A cloud provider as {@code POST} and {@code PUT /api/v1/cloud-providers} take it.
 *
 * @param type {@code AWS} (the only type so far; may be left out)
 * @param region the default region of lookups, e.g. {@code us-east-1}
 * @param crossAccountRole a role to assume on top of the credentials, or null
 */
public record CloudProviderRequest(
        String name, String type, String region, Credentials credentials, CrossAccountRole crossAccountRole) {

    /**
     * Where the credentials come from.
     *
     * @param type {@code DELEGATE_IAM_ROLE} or {@code ACCESS_KEY}
     * @param delegateSelectors selectors a delegate needs to act for the provider (required for
     *     {@code DELEGATE_IAM_ROLE})
     * @param secretAccessKey write-only; on {@code PUT}, leaving it out keeps the stored one
     */
    public record Credentials(String type, List<String> delegateSelectors, String accessKeyId, String secretAccessKey) {
        /** Never with the secret: a request may end up in a log line. */
        @Override
        public String toString() {
            return "Credentials[type=" + type + ", delegateSelectors=" + delegateSelectors + ", accessKeyId="
                    + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? "none" : "[hidden]") + "]";
        }
    }

    /** A role in another account, assumed with STS on the delegate. */
    public record CrossAccountRole(String roleArn, String externalId) {}
}
