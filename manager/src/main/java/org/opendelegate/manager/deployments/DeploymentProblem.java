package org.opendelegate.manager.deployments;

/**
 * A problem a deployment found before changing anything (a missing role, an unknown container, a Fargate
 * CPU/memory pair that does not exist, a permission the delegate's role lacks).
 *
 * @param code e.g. {@code CONTAINER_NOT_FOUND}
 * @param message what is wrong and what to do
 */
public record DeploymentProblem(String code, String message) {}
