package org.opendelegate.manager.providers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.opendelegate.manager.dispatch.TaskRequest;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.CloudProvider;

/**
 * Turns a cloud provider into the tasks that act for it: the payload says where the credentials come from
 * and which role to assume, the selectors and the affinity key route the task to delegates that can (and
 * did) act for it, and the secret access key goes only into the task's sealed secrets.
 */
final class ProviderTasks {
    /** A lookup is short; a delegate that does not answer in this time is not worth waiting for. */
    static final int TIMEOUT_SECONDS = 30;
    /** One more delegate may try when the first could not (its role lacks a permission, say). */
    static final int MAX_ATTEMPTS = 2;

    private final SecretBox box;

    ProviderTasks(SecretBox box) {
        this.box = box;
    }

    /** The additional data the provider's secret is sealed with: it opens only for this provider. */
    static String context(String providerId) {
        return "cloud-provider:" + providerId;
    }

    /**
     * @param withAffinity route by the provider's history: prefer delegates that succeeded with it, avoid for a
     *     while those that failed it with a capability error. Test goes without, so that it always tries again.
     */
    TaskRequest request(
            CloudProvider p, String taskType, String region, Map<String, String> params, boolean withAffinity) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        params.forEach(fields::put);
        return request(p, taskType, region, fields, withAffinity, TIMEOUT_SECONDS, MAX_ATTEMPTS, true);
    }

    /** A task of the provider with any JSON fields, its own time budget, attempts and sync (a deployment: async). */
    TaskRequest request(
            CloudProvider p,
            String taskType,
            String region,
            ObjectNode params,
            boolean withAffinity,
            int timeoutSeconds,
            int maxAttempts,
            boolean sync) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("providerId", p.id()).put("providerName", p.name()).put("region", region);
        ObjectNode credentials = payload.putObject("credentials").put("type", p.credentialsType());
        if (ProviderRules.ACCESS_KEY.equals(p.credentialsType())) {
            credentials.put("accessKeyId", p.accessKeyId());
        }
        if (p.roleArn() != null) {
            ObjectNode role = payload.putObject("crossAccountRole").put("roleArn", p.roleArn());
            if (p.externalId() != null) {
                role.put("externalId", p.externalId());
            }
        }
        payload.setAll(params);
        return new TaskRequest(
                taskType,
                payload,
                p.delegateSelectors(),
                timeoutSeconds,
                sync,
                null,
                maxAttempts,
                withAffinity ? p.id() : null,
                null);
    }

    /** The task's secrets: the secret access key of an access-key provider, else none. */
    ObjectNode secrets(CloudProvider p) {
        if (p.sealedSecretAccessKey() == null) {
            return null;
        }
        return JsonNodeFactory.instance
                .objectNode()
                .put("secretAccessKey", box.open(p.sealedSecretAccessKey(), context(p.id())));
    }
}
