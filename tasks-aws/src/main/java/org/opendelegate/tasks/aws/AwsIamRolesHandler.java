package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * {@code aws.iam-roles}: the IAM roles ECS tasks may assume.
 * This class only names the task type: the AWS SDK is loaded when such a task first runs.
 */
public final class AwsIamRolesHandler implements TaskHandler {
    @Override
    public String type() {
        return AwsTaskTypes.IAM_ROLES;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        return AwsTask.run(context, new IamRolesLookup());
    }
}
