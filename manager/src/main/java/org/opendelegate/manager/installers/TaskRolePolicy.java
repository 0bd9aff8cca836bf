package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The IAM the delegate's task role needs: read access for the lookups and the Test the Manager runs through a
 * delegate (regions, clusters, services, VPCs, subnets, security groups, roles ECS tasks may assume), and what ECS
 * deployments through the delegate need ({@link #DEPLOY_ACTIONS}, scoped in {@link #deployPolicy()}).
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
    /** Exactly what an ECS deployment (issue 14) needs beyond the lookups; {@link #deployPolicy()} scopes them. */
    static final List<String> DEPLOY_ACTIONS = List.of(
            "ecs:RegisterTaskDefinition",
            "ecs:DescribeTaskDefinition",
            "ecs:CreateService",
            "ecs:UpdateService",
            "ecs:DescribeServices",
            "ecs:DescribeTasks",
            "ecs:ListTasks",
            "iam:PassRole",
            "application-autoscaling:Describe*");

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

    /**
     * The policy document for deployments, scoped as tightly as a template can without knowing the services:
     * service and task changes only in the stack's account; roles passed only to ECS tasks and only roles of that
     * account (the task definitions name them, which a template cannot know); task definitions and Application
     * Auto Scaling reads do not take resource-level permissions, so those stay on {@code *}.
     */
    static ObjectNode deployPolicy() {
        ObjectNode doc = CloudFormationTemplate.object().put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        statement(
                        statements,
                        "ServicesOfThisAccount",
                        List.of("ecs:CreateService", "ecs:UpdateService", "ecs:DescribeServices"))
                .set("Resource", CloudFormationTemplate.sub("arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/*"));
        statement(statements, "TasksOfThisAccount", List.of("ecs:DescribeTasks"))
                .set("Resource", CloudFormationTemplate.sub("arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:task/*"));
        ObjectNode list = statement(statements, "ListTasksOfThisAccountsClusters", List.of("ecs:ListTasks"))
                .put("Resource", "*");
        list.putObject("Condition")
                .putObject("ArnLike")
                .set(
                        "ecs:cluster",
                        CloudFormationTemplate.sub("arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:cluster/*"));
        statement(statements, "TaskDefinitions", List.of("ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"))
                .put("Resource", "*");
        ObjectNode pass = statement(statements, "PassRolesToEcsTasksOnly", List.of("iam:PassRole"))
                .set("Resource", CloudFormationTemplate.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"));
        pass.putObject("Condition").putObject("StringEquals").put("iam:PassedToService", "ecs-tasks.amazonaws.com");
        statement(statements, "ScalingReads", List.of("application-autoscaling:Describe*"))
                .put("Resource", "*");
        return doc;
    }

    private static ObjectNode statement(ArrayNode statements, String sid, List<String> actions) {
        ObjectNode statement = statements.addObject().put("Sid", sid).put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        actions.forEach(list::add);
        return statement;
    }

    /** The task role resource of the CloudFormation stack. */
    static ObjectNode role() {
        ObjectNode resource = CloudFormationTemplate.object().put("Type", "AWS::IAM::Role");
        ObjectNode props = resource.putObject("Properties");
        props.set("AssumeRolePolicyDocument", ecsTasksTrust());
        ObjectNode policy = props.putArray("Policies").addObject().put("PolicyName", "opendelegate-lookups");
        policy.set("PolicyDocument", lookupPolicy());
        ObjectNode deploy =
                ((ArrayNode) props.get("Policies")).addObject().put("PolicyName", "opendelegate-deployments");
        deploy.set("PolicyDocument", deployPolicy());
        return resource;
    }
}
