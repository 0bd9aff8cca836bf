package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** {@code aws.vpcs}: every VPC of the region. */
final class VpcsLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        Ec2Client ec2 = session.ec2();
        ArrayNode vpcs = result.putArray("vpcs");
        int pages = session.pages(
                "ec2", "DescribeVpcs", () -> ec2.describeVpcsPaginator(r -> r.maxResults(Ec2Tags.PAGE)), page -> {
                    for (Vpc v : page.vpcs()) {
                        vpcs.addObject()
                                .put("id", v.vpcId())
                                .put("cidr", v.cidrBlock())
                                .put("name", Ec2Tags.name(v.tags()))
                                .put("isDefault", Boolean.TRUE.equals(v.isDefault()))
                                .put("state", v.stateAsString());
                    }
                });
        session.record("ec2", "DescribeVpcs", pages, vpcs.size(), "VPCs");
    }
}
