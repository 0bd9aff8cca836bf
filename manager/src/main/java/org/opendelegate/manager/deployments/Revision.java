package org.opendelegate.manager.deployments;

/**
 * What a service runs: one side of a deployment's "from → to". Fields are null until known.
 *
 * @param taskDefinitionArn the task definition, with its revision
 * @param revision the task definition's revision number
 * @param image the image of the deployed container
 * @param desiredCount the service's desired task count
 */
public record Revision(String taskDefinitionArn, Integer revision, String image, Integer desiredCount) {}
