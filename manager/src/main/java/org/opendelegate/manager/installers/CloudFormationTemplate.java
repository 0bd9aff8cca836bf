package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.opendelegate.protocol.ProtocolJson;

/**
 * {@code cloudformation.yaml}: one stack with the log group, the execution role, the task role, the task
 * definition and the service. Roles given in the download are used instead of created ones. Built as a
 * tree and written by {@link YamlEmitter}, so user values are always quoted scalars.
 */
final class CloudFormationTemplate {
    private CloudFormationTemplate() {
    }

    static String build(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode t = object();
        t.put("AWSTemplateFormatVersion", "2010-09-09");
        t.put("Description", "OpenDelegate delegates of group " + s.groupName() + " as an ECS service ("
                + s.launchType() + " launch type, " + s.networkMode() + " network mode)");
        parameters(t.putObject("Parameters"), s);
        ObjectNode resources = t.putObject("Resources");
        resources.set("LogGroup", logGroup(s));
        if (s.executionRoleArn() == null) {
            resources.set("ExecutionRole", executionRole(s));
        }
        if (s.taskRoleArn() == null) {
            resources.set("TaskRole", TaskRolePolicy.role());
        }
        resources.set("TaskDefinition", taskDefinition(s, ctx, tokenSecret));
        resources.set("Service", service(s));
        ObjectNode outputs = t.putObject("Outputs");
        outputs.putObject("TaskDefinitionArn").put("Description", "The registered task definition")
                .set("Value", ref("TaskDefinition"));
        outputs.putObject("ServiceName").put("Description", "The delegates' ECS service")
                .set("Value", getAtt("Service", "Name"));
        return "# OpenDelegate " + ctx.managerVersion() + ": delegates of group " + s.groupName() + ".\n"
                + "# aws cloudformation deploy --template-file cloudformation.yaml --stack-name "
                + s.serviceName() + " --capabilities CAPABILITY_IAM --parameter-overrides Cluster=<cluster>"
                + (s.awsVpc() ? " Subnets=<subnet-a,subnet-b> SecurityGroups=<sg-id>" : "") + "\n"
                + YamlEmitter.write(t);
    }

    private static void parameters(ObjectNode p, EcsSettings s) {
        p.putObject("Cluster").put("Type", "String").put("MinLength", 1)
                .put("Description", "Name of the ECS cluster the delegates run in");
        if (s.awsVpc()) {
            p.putObject("Subnets").put("Type", "List<AWS::EC2::Subnet::Id>")
                    .put("Description", "Subnets for the delegates' network interfaces (they need a route to "
                            + "the Manager: a NAT gateway, or AssignPublicIp in a public subnet)");
            p.putObject("SecurityGroups").put("Type", "List<AWS::EC2::SecurityGroup::Id>")
                    .put("Description", "Security groups of the delegates; outbound HTTPS to the Manager is "
                            + "all they need");
        }
        p.putObject("DesiredCount").put("Type", "Number").put("Default", s.desiredCount()).put("MinValue", 0)
                .put("Description", "How many delegates to run; all join group " + s.groupName());
    }

    private static ObjectNode logGroup(EcsSettings s) {
        ObjectNode resource = resource("AWS::Logs::LogGroup");
        ObjectNode props = (ObjectNode) resource.get("Properties");
        if (s.logGroup() != null) {
            props.put("LogGroupName", s.logGroup());
        }
        props.put("RetentionInDays", 30);
        return resource;
    }

    private static ObjectNode executionRole(EcsSettings s) {
        ObjectNode resource = resource("AWS::IAM::Role");
        ObjectNode props = (ObjectNode) resource.get("Properties");
        props.set("AssumeRolePolicyDocument", TaskRolePolicy.ecsTasksTrust());
        props.putArray("ManagedPolicyArns").add(sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
        if (s.tokenSecretArn() != null) {
            ObjectNode policy = props.putArray("Policies").addObject().put("PolicyName", "read-delegate-token");
            ObjectNode doc = policy.putObject("PolicyDocument").put("Version", "2012-10-17");
            doc.putArray("Statement").addObject().put("Effect", "Allow")
                    .put("Action", AwsShapes.isSsmParameter(s.tokenSecretArn()) ? "ssm:GetParameters"
                            : "secretsmanager:GetSecretValue")
                    .put("Resource", s.tokenSecretArn());
        }
        return resource;
    }

    private static ObjectNode taskDefinition(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode resource = resource("AWS::ECS::TaskDefinition");
        ObjectNode props = (ObjectNode) resource.get("Properties");
        props.put("Family", s.family());
        props.set("TaskRoleArn", s.taskRoleArn() != null ? text(s.taskRoleArn()) : getAtt("TaskRole", "Arn"));
        props.set("ExecutionRoleArn", s.executionRoleArn() != null ? text(s.executionRoleArn())
                : getAtt("ExecutionRole", "Arn"));
        props.put("NetworkMode", s.networkMode());
        props.putArray("RequiresCompatibilities").add(s.launchType().name());
        props.put("Cpu", String.valueOf(s.cpu()));
        props.put("Memory", String.valueOf(s.memory()));
        props.putArray("ContainerDefinitions").add(container(s, ctx, tokenSecret));
        props.putArray("Tags").addObject().put("Key", "opendelegate:group").put("Value", s.groupName());
        return resource;
    }

    private static ObjectNode container(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode c = object();
        c.put("Name", EcsTaskSpec.CONTAINER_NAME);
        c.put("Image", s.image());
        c.put("Essential", true);
        if (!s.awsVpc() && s.hostname() != null) {
            c.put("Hostname", s.hostname());
        }
        ArrayNode env = c.putArray("Environment");
        for (Map.Entry<String, String> e : DelegateEnvironment.of(ctx, s.groupName(), s.profile(), "ECS",
                s.tokenSecretArn() == null ? tokenSecret : null).entrySet()) {
            env.addObject().put("Name", e.getKey()).put("Value", e.getValue());
        }
        if (s.tokenSecretArn() != null) {
            c.putArray("Secrets").addObject().put("Name", "DELEGATE_TOKEN").put("ValueFrom", s.tokenSecretArn());
        }
        ObjectNode port = c.putArray("PortMappings").addObject().put("ContainerPort", DelegateEnvironment.HEALTH_PORT);
        if (!s.awsVpc()) {
            port.put("HostPort", 0);
        }
        port.put("Protocol", "tcp");
        ObjectNode health = c.putObject("HealthCheck");
        health.putArray("Command").add("CMD-SHELL").add(EcsTaskSpec.HEALTH_COMMAND);
        health.put("Interval", 30).put("Timeout", 5).put("Retries", 3).put("StartPeriod", 30);
        c.put("StopTimeout", EcsTaskSpec.STOP_TIMEOUT);
        ObjectNode options = c.putObject("LogConfiguration").put("LogDriver", "awslogs").putObject("Options");
        options.set("awslogs-group", ref("LogGroup"));
        options.set("awslogs-region", ref("AWS::Region"));
        options.put("awslogs-stream-prefix", EcsTaskSpec.LOG_STREAM_PREFIX);
        return c;
    }

    private static ObjectNode service(EcsSettings s) {
        ObjectNode resource = resource("AWS::ECS::Service");
        ObjectNode props = (ObjectNode) resource.get("Properties");
        props.set("Cluster", ref("Cluster"));
        props.put("ServiceName", s.serviceName());
        props.set("TaskDefinition", ref("TaskDefinition"));
        props.set("DesiredCount", ref("DesiredCount"));
        props.put("LaunchType", s.launchType().name());
        if (s.awsVpc()) {
            ObjectNode vpc = props.putObject("NetworkConfiguration").putObject("AwsvpcConfiguration");
            vpc.set("Subnets", ref("Subnets"));
            vpc.set("SecurityGroups", ref("SecurityGroups"));
            vpc.put("AssignPublicIp", s.assignPublicIp() ? "ENABLED" : "DISABLED");
        }
        props.putObject("DeploymentConfiguration").put("MinimumHealthyPercent", 100).put("MaximumPercent", 200);
        props.put("PropagateTags", "TASK_DEFINITION");
        return resource;
    }

    /** A resource of a type with empty properties, which the caller fills. */
    private static ObjectNode resource(String type) {
        ObjectNode r = object();
        r.put("Type", type);
        r.putObject("Properties");
        return r;
    }

    static ObjectNode object() {
        return ProtocolJson.mapper().createObjectNode();
    }

    static JsonNode text(String value) {
        return ProtocolJson.mapper().getNodeFactory().textNode(value);
    }

    static ObjectNode ref(String name) {
        return object().put("Ref", name);
    }

    static ObjectNode sub(String template) {
        return object().put("Fn::Sub", template);
    }

    static ObjectNode getAtt(String resource, String attribute) {
        ObjectNode n = object();
        n.putArray("Fn::GetAtt").add(resource).add(attribute);
        return n;
    }
}
