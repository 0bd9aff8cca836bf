package org.opendelegate.manager.providers;

import java.util.List;

/**
 * What uses a cloud provider, so that deleting one in use is refused with the list of its users. Nothing in
 * the product uses providers yet (ECS deployments will); until then the Manager wires {@link #NONE}.
 */
@FunctionalInterface
public interface ProviderUsage {
    /** Nothing uses any provider. */
    ProviderUsage NONE = (accountId, providerId) -> List.of();

    /** Names of what uses the provider, e.g. "deployment `payments` (ECS service in prod-cluster)". */
    List<String> usersOf(String accountId, String providerId);
}
