package org.opendelegate.protocol;

/**
 * What a delegate running in ECS learned from the task metadata endpoint (v4). All fields may be null
 * when the endpoint did not report them.
 *
 * @param taskArn the ECS task ARN
 * @param cluster the cluster ARN or name
 * @param containerId the Docker container id
 * @param containerName the container name in the task definition
 * @param networkMode {@code awsvpc}, {@code bridge}, {@code host} or {@code none}
 * @param launchType {@code EC2}, {@code FARGATE} or {@code EXTERNAL}
 * @param availabilityZone the availability zone of the task
 * @param family the task definition family
 * @param revision the task definition revision
 */
public record EcsIdentity(
        String taskArn,
        String cluster,
        String containerId,
        String containerName,
        String networkMode,
        String launchType,
        String availabilityZone,
        String family,
        String revision) {}
