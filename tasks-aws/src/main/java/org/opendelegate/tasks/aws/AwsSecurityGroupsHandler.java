package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * {@code aws.security-groups}: every security group of a VPC.
 * This class only names the task type: the AWS SDK is loaded when such a task first runs.
 */
public final class AwsSecurityGroupsHandler implements TaskHandler {
    @Override
    public String type() {
        return AwsTaskTypes.SECURITY_GROUPS;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        return AwsTask.run(context, new SecurityGroupsLookup());
    }
}
