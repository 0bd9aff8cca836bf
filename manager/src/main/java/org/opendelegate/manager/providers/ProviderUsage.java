package org.opendelegate.manager.providers;

import java.util.List;

/**
 * What uses a cloud provider, so that deleting one in use is refused with the list of its users: the Manager
 * wires the deployments still running through it ({@code deployments.DeploymentsThroughProvider}).
 */
@FunctionalInterface
public interface ProviderUsage {
    /** Nothing uses any provider (tests of the provider rules alone). */
    ProviderUsage NONE = (accountId, providerId) -> List.of();

    /** Names of what uses the provider, e.g. "deployment `payments` (ECS service in prod-cluster)". */
    List<String> usersOf(String accountId, String providerId);
}
