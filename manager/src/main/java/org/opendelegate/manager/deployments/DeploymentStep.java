package org.opendelegate.manager.deployments;

import java.time.Instant;

/**
 * One step of a deployment's timeline, as its delegate's checkpoints reported it.
 *
 * @param name {@code PREPARE}, {@code REGISTER_TASK_DEFINITION}, {@code UPDATE_SERVICE}, {@code CREATE_SERVICE},
 *     {@code WAIT_FOR_STEADY_STATE} or {@code ROLLBACK}
 * @param state {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED} or {@code SKIPPED}
 * @param message what the step found or why it failed, or null
 * @param logAfterId the step's log lines are the task's lines with an id greater than this
 *     ({@code GET /api/v1/tasks/{taskId}/log?after=logAfterId})
 * @param logUntilId ... and at most this; null while the step runs (its lines are still coming)
 */
public record DeploymentStep(
        String name,
        String state,
        Instant startedAt,
        Instant endedAt,
        String message,
        long logAfterId,
        Long logUntilId) {}
