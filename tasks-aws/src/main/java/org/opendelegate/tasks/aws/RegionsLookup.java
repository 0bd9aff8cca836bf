package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;
import software.amazon.awssdk.services.ec2.model.Region;

/** {@code aws.regions}: the regions enabled for the account (EC2 DescribeRegions answers in one page). */
final class RegionsLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        Ec2Client ec2 = session.ec2();
        DescribeRegionsResponse answer = session.call("ec2", "DescribeRegions", () -> ec2.describeRegions());
        ArrayNode regions = result.putArray("regions");
        answer.regions().stream()
                .sorted(Comparator.comparing(Region::regionName))
                .forEach(r -> regions.addObject()
                        .put("name", r.regionName())
                        .put("endpoint", r.endpoint())
                        .put("optInStatus", r.optInStatus()));
        session.record("ec2", "DescribeRegions", 1, regions.size(), "regions");
    }
}
