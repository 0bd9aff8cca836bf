package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A deployment as the API and the console show it.
 *
 * @param id the deployment id
 * @param cloudProviderName the provider's name when the deployment was submitted
 * @param state see {@link DeploymentState}
 * @param dryRun a preview: nothing was (or will be) changed
 * @param rollbackOf the deployment this one rolls back, or null
 * @param submittedBy who submitted it ({@code user:alice}, {@code api-key:ci})
 * @param startedAt when a delegate first took it, or null while queued
 * @param endedAt when it ended, or null while active
 * @param durationMillis from submission to the end (or to now while active)
 * @param from what the service ran before (from the delegate's checkpoints), or null until known
 * @param to what the deployment puts in place, or null until known
 * @param steps the step timeline, in the order the steps started
 * @param changes what changed or would change (a dry run's diff), empty when unknown
 * @param problems problems found before any change
 * @param request the request as submitted (secret values are never in it: only their {@code secret:} references)
 * @param result the task's result, or null until it ended
 * @param error why it failed (names the AWS action and resource when AWS refused), or null
 * @param taskId the task that runs it; its log is the deployment's log
 */
public record DeploymentView(
        String id,
        String cloudProviderId,
        String cloudProviderName,
        String region,
        String cluster,
        String service,
        DeploymentState state,
        boolean dryRun,
        String rollbackOf,
        String submittedBy,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        long durationMillis,
        Revision from,
        Revision to,
        List<DeploymentStep> steps,
        List<DiffChange> changes,
        List<DeploymentProblem> problems,
        JsonNode request,
        JsonNode result,
        String error,
        String taskId) {}
