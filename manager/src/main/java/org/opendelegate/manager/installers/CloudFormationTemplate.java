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
    private CloudFormationTemplate() {}

    static String build(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode t = object();
        t.put("AWSTemplateFormatVersion", "2010-09-09");
        t.put(
                "Description",
                "OpenDelegate delegates of group " + s.groupName() + " as an ECS service (" + s.launchType()
                        + " launch type, " + s.networkMode() + " network mode)");
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
        outputs.putObject("TaskDefinitionArn")
                .put("Description", "The registered task definition")
                .set("Value", ref("TaskDefinition"));
        outputs.putObject("ServiceName")
                .put("Description", "The delegates' ECS service")
                .set("Value", getAtt("Service", "Name"));
        return "# OpenDelegate " + ctx.managerVersion() + ": delegates of group " + s.groupName() + ".\n"
                + "# aws cloudformation deploy --template-file cloudformation.yaml --stack-name "
                + s.serviceName() + " --capabilities CAPABILITY_IAM --parameter-overrides Cluster=<cluster>"
                + (s.awsVpc() ? " Subnets=<subnet-a,subnet-b> SecurityGroups=<sg-id>" : "") + "\n"
                + YamlEmitter.write(t);
    }

    private static void parameters(ObjectNode p, EcsSettings s) {
        p.putObject("Cluster")
                .put("Type", "String")
                .put("MinLength", 1)
                .put("Description", "Name of the ECS cluster the delegates run in");
        if (s.awsVpc()) {
            p.putObject("Subnets")
                    .put("Type", "List<AWS::EC2::Subnet::Id>")
                    .put(
                            "Description",
                            "Subnets for the delegates' network interfaces (they need a route to "
                                    + "the Manager: a NAT gateway, or AssignPublicIp in a public subnet)");
            p.putObject("SecurityGroups")
                    .put("Type", "List<AWS::EC2::SecurityGroup::Id>")
                    .put(
                            "Description",
                            "Security groups of the delegates; outbound HTTPS to the Manager is " + "all they need");
        }
        p.putObject("DesiredCount")
                .put("Type", "Number")
                .put("Default", s.desiredCount())
                .put("MinValue", 0)
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
        props.putArray("ManagedPolicyArns")
                .add(sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
        if (s.tokenSecretArn() != null) {
            ObjectNode policy = props.putArray("Policies").addObject().put("PolicyName", "read-delegate-token");
            ObjectNode doc = policy.putObject("PolicyDocument").put("Version", "2012-10-17");
            doc.putArray("Statement")
                    .addObject()
                    .put("Effect", "Allow")
                    .put(
                            "Action",
                            AwsShapes.isSsmParameter(s.tokenSecretArn())
                                    ? "ssm:GetParameters"
                                    : "secretsmanager:GetSecretValue")
                    .put("Resource", s.tokenSecretArn());
        }
        return resource;
    }

    /** The task definition of the task spec, with the stack's own roles and log group where none was given. */
    private static ObjectNode taskDefinition(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        EcsTaskSpec.Resources stack = new EcsTaskSpec.Resources(
                s.taskRoleArn() != null ? text(s.taskRoleArn()) : getAtt("TaskRole", "Arn"),
                s.executionRoleArn() != null ? text(s.executionRoleArn()) : getAtt("ExecutionRole", "Arn"),
                ref("LogGroup"),
                ref("AWS::Region"));
        ObjectNode resource = resource("AWS::ECS::TaskDefinition");
        resource.set("Properties", spelled(EcsTaskSpec.build(s, ctx, tokenSecret, stack)));
        return resource;
    }

    /**
     * An ECS API shape as CloudFormation spells the same properties: each name with a capital first letter
     * ({@code portMappings} is {@code PortMappings}). The log driver's {@code options} are data, not
     * property names, and stay as they are.
     */
    static ObjectNode spelled(ObjectNode apiShape) {
        ObjectNode spelled = object();
        for (Map.Entry<String, JsonNode> f : apiShape.properties()) {
            String name = f.getKey();
            JsonNode value = name.equals("options") ? f.getValue() : spelledValue(f.getValue());
            spelled.set(Character.toUpperCase(name.charAt(0)) + name.substring(1), value);
        }
        return spelled;
    }

    private static JsonNode spelledValue(JsonNode value) {
        if (value.isObject()) {
            return spelled((ObjectNode) value);
        }
        if (value.isArray()) {
            ArrayNode items = ProtocolJson.mapper().createArrayNode();
            value.forEach(item -> items.add(spelledValue(item)));
            return items;
        }
        return value;
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
        props.putObject("DeploymentConfiguration")
                .put("MinimumHealthyPercent", 100)
                .put("MaximumPercent", 200);
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
