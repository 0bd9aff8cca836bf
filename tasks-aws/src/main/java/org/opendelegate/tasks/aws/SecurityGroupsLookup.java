package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** {@code aws.security-groups}: every security group of one VPC ({@code vpcId}). */
final class SecurityGroupsLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        String vpcId = AwsTaskInput.required(payload, "vpcId", "vpc-0abc1234");
        Ec2Client ec2 = session.ec2();
        ArrayNode groups = result.putArray("securityGroups");
        int pages = session.pages(
                "ec2",
                "DescribeSecurityGroups",
                () -> ec2.describeSecurityGroupsPaginator(
                        r -> r.filters(Ec2Tags.vpc(vpcId)).maxResults(Ec2Tags.PAGE)),
                page -> {
                    for (SecurityGroup g : page.securityGroups()) {
                        groups.addObject()
                                .put("id", g.groupId())
                                .put("name", g.groupName())
                                .put("description", g.description())
                                .put("vpcId", g.vpcId());
                    }
                });
        result.put("vpcId", vpcId);
        session.record("ec2", "DescribeSecurityGroups", pages, groups.size(), "security groups in " + vpcId);
    }
}
