package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;

/** {@code aws.test-connection}: who the delegate acts as (the session asked STS) and that EC2 answers. */
final class TestConnectionLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        Ec2Client ec2 = session.ec2();
        DescribeRegionsResponse regions = session.call("ec2", "DescribeRegions", () -> ec2.describeRegions());
        session.record("ec2", "DescribeRegions", 1, regions.regions().size(), "regions");
        result.put("arn", session.principal())
                .put("userId", session.userId())
                .put("regionCount", regions.regions().size());
    }
}
