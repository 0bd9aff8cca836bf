package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * A deployment as stored. JSON columns are kept as text; the deployments package reads them.
 *
 * @param serviceKey names the service: provider, region, cluster name, service
 * @param active whether the deployment holds its service (its {@code active_key} is set)
 * @param state a {@code DeploymentState} name
 * @param request the request as submitted (JSON)
 * @param steps the step timeline (JSON array)
 * @param before what the service ran before, from the checkpoints (JSON), or null
 * @param after what the deployment puts in place (JSON), or null
 * @param result the task's result (JSON), or null
 */
public record Deployment(
        String id,
        String accountId,
        String cloudProviderId,
        String cloudProviderName,
        String region,
        String cluster,
        String service,
        String serviceKey,
        boolean active,
        String state,
        boolean dryRun,
        String rollbackOf,
        String request,
        String taskId,
        String steps,
        String before,
        String after,
        String result,
        String error,
        String submittedBy,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt) {}
