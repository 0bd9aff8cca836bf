package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.opendelegate.manager.dispatch.CheckpointListener;
import org.opendelegate.manager.store.DeploymentDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.AwsTaskTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a deployment's progress from its task's checkpoints: the step timeline with each step's log range, what
 * the service ran before and what it will run after, and RUNNING once a delegate reports.
 */
public final class DeploymentSteps implements CheckpointListener {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentSteps.class);
    private final DeploymentDao deployments;

    public DeploymentSteps(DeploymentDao deployments) {
        this.deployments = deployments;
    }

    @Override
    public void saved(Task task, ObjectNode checkpoint, long lastLogId, Instant at) {
        if (!AwsTaskTypes.ECS_DEPLOY.equals(task.type())) {
            return;
        }
        try {
            deployments
                    .findByTask(task.id())
                    .filter(d -> d.endedAt() == null)
                    .ifPresent(d -> deployments.recordProgress(
                            d.id(),
                            DeploymentTimeline.write(DeploymentTimeline.merge(
                                    DeploymentTimeline.read(d.steps()), checkpoint, lastLogId)),
                            object(checkpoint.get("before")),
                            object(checkpoint.get("after")),
                            at));
        } catch (RuntimeException e) {
            // The checkpoint is stored and the lease renewed: the delegate goes on; only the timeline lags.
            LOG.warn("Task {}: the deployment timeline was not updated from a checkpoint: {}", task.id(), e.toString());
        }
    }

    private static String object(JsonNode node) {
        return node instanceof ObjectNode ? node.toString() : null;
    }
}
