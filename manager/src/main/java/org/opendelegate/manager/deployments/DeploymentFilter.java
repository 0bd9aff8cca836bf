package org.opendelegate.manager.deployments;

/**
 * Which deployments a list shows; every part is optional (null or blank: any).
 *
 * @param cluster the cluster as submitted (name or ARN)
 * @param service the service name
 * @param state a state's name, any case
 */
public record DeploymentFilter(String cluster, String service, String state) {
    /** Every deployment. */
    public static DeploymentFilter all() {
        return new DeploymentFilter(null, null, null);
    }
}
