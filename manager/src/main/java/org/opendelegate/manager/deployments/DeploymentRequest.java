package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A deployment as {@code POST /api/v1/deployments} (and the console's Deploy form) takes it. Exactly one of
 * {@code taskDefinition} and {@code image}.
 *
 * @param cloudProviderId the cloud provider whose credentials and delegates deploy
 * @param region the AWS region, e.g. {@code eu-west-1}
 * @param cluster the ECS cluster, name or ARN
 * @param service the ECS service name
 * @param taskDefinition a RegisterTaskDefinition input as AWS takes it (camelCase JSON), with {@code ${NAME}}
 *     placeholders filled from {@code variables}
 * @param image the new image of one container of the service's current task definition
 * @param container which container gets {@code image}; may be left out when the task definition has one
 * @param variables values for the placeholders; {@code secret:NAME} refers to a secret of the account
 * @param desiredCount the task count; left out keeps the service's
 * @param serviceDefinition a CreateService input, used only when the service does not exist yet
 * @param steadyStateTimeoutSeconds how long to wait for a steady state, 30 to 3600 (default 600)
 * @param rollbackOnFailure put the service back when the deployment fails (default true)
 * @param dryRun only show what would change (default false)
 */
public record DeploymentRequest(
        String cloudProviderId,
        String region,
        String cluster,
        String service,
        JsonNode taskDefinition,
        String image,
        String container,
        Map<String, String> variables,
        Integer desiredCount,
        JsonNode serviceDefinition,
        Integer steadyStateTimeoutSeconds,
        Boolean rollbackOnFailure,
        Boolean dryRun) {}
