package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * {@code aws.ecs.deploy}: deploys an ECS service ({@link EcsDeployment}). Its payload, checkpoint and results
 * are described in {@code docs/deployments.md}. Like the lookups, it loads the AWS SDK only when such a task runs.
 */
public final class EcsDeployHandler implements TaskHandler {
    private final Duration pollInterval;

    /** @param pollInterval how often DescribeServices is asked while waiting ({@code DELEGATE_ECS_POLL_INTERVAL}) */
    public EcsDeployHandler(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    @Override
    public String type() {
        return AwsTaskTypes.ECS_DEPLOY;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        AwsTaskInput input = AwsTaskInput.of(context.payload());
        DeployRequest request = DeployRequest.of(context.payload(), context.secrets());
        try (AwsSession session = AwsSession.open(context, input)) {
            return new EcsDeployment(session, request, pollInterval).run();
        }
    }
}
