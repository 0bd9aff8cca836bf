package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The IAM the delegate's task role needs: read access for the lookups and the Test the Manager runs through a
 * delegate (regions, clusters, services, VPCs, subnets, security groups, roles ECS tasks may assume). Deploying ECS services through the
 * delegate needs more, which the README lists; the stack grants only the read part.
 */
final class TaskRolePolicy {
    static final List<String> LOOKUP_ACTIONS = List.of(
            "ecs:ListClusters",
            "ecs:DescribeClusters",
            "ecs:ListServices",
            "ecs:DescribeServices",
            "ecs:DescribeTaskDefinition",
            "ec2:DescribeVpcs",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeRegions",
            "iam:ListRoles");
    static final List<String> DEPLOY_ACTIONS = List.of(
            "ecs:RegisterTaskDefinition",
            "ecs:CreateService",
            "ecs:UpdateService",
            "ecs:ListTasks",
            "ecs:DescribeTasks",
            "iam:PassRole");

    private TaskRolePolicy() {}

    /** Lets ECS tasks assume a role. */
    static ObjectNode ecsTasksTrust() {
        ObjectNode doc = CloudFormationTemplate.object().put("Version", "2012-10-17");
        ObjectNode statement = doc.putArray("Statement").addObject().put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "ecs-tasks.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        return doc;
    }

    /** The policy document for the lookups. */
    static ObjectNode lookupPolicy() {
        ObjectNode doc = CloudFormationTemplate.object().put("Version", "2012-10-17");
        ObjectNode statement = doc.putArray("Statement").addObject().put("Effect", "Allow");
        ArrayNode actions = statement.putArray("Action");
        LOOKUP_ACTIONS.forEach(actions::add);
        statement.put("Resource", "*");
        return doc;
    }

    /** The task role resource of the CloudFormation stack. */
    static ObjectNode role() {
        ObjectNode resource = CloudFormationTemplate.object().put("Type", "AWS::IAM::Role");
        ObjectNode props = resource.putObject("Properties");
        props.set("AssumeRolePolicyDocument", ecsTasksTrust());
        ObjectNode policy = props.putArray("Policies").addObject().put("PolicyName", "opendelegate-lookups");
        policy.set("PolicyDocument", lookupPolicy());
        return resource;
    }
}
