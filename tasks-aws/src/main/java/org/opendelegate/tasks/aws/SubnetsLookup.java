package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** {@code aws.subnets}: every subnet of one VPC ({@code vpcId}), with its availability zone and CIDR. */
final class SubnetsLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        String vpcId = AwsTaskInput.required(payload, "vpcId", "vpc-0abc1234");
        Ec2Client ec2 = session.ec2();
        ArrayNode subnets = result.putArray("subnets");
        int pages = session.pages(
                "ec2",
                "DescribeSubnets",
                () -> ec2.describeSubnetsPaginator(
                        r -> r.filters(Ec2Tags.vpc(vpcId)).maxResults(Ec2Tags.PAGE)),
                page -> {
                    for (Subnet s : page.subnets()) {
                        subnets.addObject()
                                .put("id", s.subnetId())
                                .put("cidr", s.cidrBlock())
                                .put("availabilityZone", s.availabilityZone())
                                .put("vpcId", s.vpcId())
                                .put("name", Ec2Tags.name(s.tags()))
                                .put("availableIps", s.availableIpAddressCount());
                    }
                });
        result.put("vpcId", vpcId);
        session.record("ec2", "DescribeSubnets", pages, subnets.size(), "subnets in " + vpcId);
    }
}
