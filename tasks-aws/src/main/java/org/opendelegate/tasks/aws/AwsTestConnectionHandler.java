package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * {@code aws.test-connection}: the account and ARN the delegate acts as (STS GetCallerIdentity) and how many regions EC2 reports.
 * This class only names the task type: the AWS SDK is loaded when such a task first runs.
 */
public final class AwsTestConnectionHandler implements TaskHandler {
    @Override
    public String type() {
        return AwsTaskTypes.TEST_CONNECTION;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        return AwsTask.run(context, new TestConnectionLookup());
    }
}
