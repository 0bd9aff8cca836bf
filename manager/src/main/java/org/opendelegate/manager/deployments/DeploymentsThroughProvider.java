package org.opendelegate.manager.deployments;

import java.util.List;
import org.opendelegate.manager.providers.ProviderUsage;
import org.opendelegate.manager.store.DeploymentDao;

/**
 * What keeps a cloud provider from being deleted: the deployments still queued or running through it. Their
 * delegate works with the provider's credentials and region until it reports an outcome, and a rollback or a
 * resumed attempt needs them too. Ended deployments do not hold the provider: they keep its name for history.
 */
public final class DeploymentsThroughProvider implements ProviderUsage {
    /** How many users a refusal names; enough to find them, never a list that grows without bound. */
    static final int NAMED = 10;

    private final DeploymentDao deployments;

    public DeploymentsThroughProvider(DeploymentDao deployments) {
        this.deployments = deployments;
    }

    @Override
    public List<String> usersOf(String accountId, String providerId) {
        return deployments.activeThrough(accountId, providerId, NAMED).stream()
                .map(d -> "deployment " + d.id() + " (" + d.state() + ", service `" + d.service() + "` in cluster `"
                        + d.cluster() + "`)")
                .toList();
    }
}
