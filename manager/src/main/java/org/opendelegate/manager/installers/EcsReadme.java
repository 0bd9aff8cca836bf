package org.opendelegate.manager.installers;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/**
 * {@code README.txt} of the ECS download: the exact commands, in order, for this download's network
 * mode and launch type, then scaling, naming, IAM and how to change the defaults. Every value in it
 * passed {@link AwsShapes} (no quotes, spaces or shell metacharacters), so commands stay copy-pasteable.
 */
final class EcsReadme {
    static final String TOKEN_FILE = "delegate-token.txt";
    static final String REGISTER_COMMAND =
            "aws ecs register-task-definition --cli-input-json file://ecs-task-spec.json";
    static final String AWSVPC_SERVICE_COMMAND =
            "aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json";

    private EcsReadme() {}

    static String build(EcsSettings s, InstallerContext ctx, boolean tokenFileIncluded) {
        StringBuilder r = new StringBuilder();
        header(r, s, ctx);
        files(r, s, tokenFileIncluded);
        int step = 1;
        if (tokenFileIncluded) {
            storeToken(r, step++, s);
        }
        r.append(step++)
                .append(". Register the task definition:\n\n")
                .append("     ")
                .append(REGISTER_COMMAND)
                .append("\n\n");
        createService(r, step++, s);
        r.append(step)
                .append(". Within seconds of a task starting, its delegate shows as Connected under Setup → "
                        + "Delegates, in group ")
                .append(s.groupName())
                .append(".\n\n");
        cloudFormation(r, s);
        scaling(r, s);
        naming(r, s);
        iam(r, s);
        defaults(r, s, ctx);
        return r.toString();
    }

    /** The numbered steps of the README as commands, for the console to show after a download. */
    static List<Download.Step> steps(EcsSettings s, boolean tokenFileIncluded) {
        List<Download.Step> steps = new ArrayList<>();
        if (tokenFileIncluded) {
            steps.add(new Download.Step(
                    "Store the new token where the task definition reads it from, then delete " + "the file.",
                    storeTokenCommand(s)));
        }
        steps.add(new Download.Step("Register the task definition.", REGISTER_COMMAND));
        if (s.awsVpc()) {
            steps.add(new Download.Step(
                    "In service-spec-for-awsvpc-mode.json, replace "
                            + EcsServiceSpec.CLUSTER_PLACEHOLDER + ", " + EcsServiceSpec.SUBNET_PLACEHOLDER + " and "
                            + EcsServiceSpec.SECURITY_GROUP_PLACEHOLDER
                            + " with your cluster, subnets and security groups, "
                            + "then create the service (" + s.launchType() + ").",
                    AWSVPC_SERVICE_COMMAND));
        } else {
            steps.add(new Download.Step(
                    "Create the service on your EC2 cluster (replace " + EcsServiceSpec.CLUSTER_PLACEHOLDER + ").",
                    EcsServiceSpec.ec2Command(s)));
        }
        return steps;
    }

    /** The README's warnings, one sentence each. */
    static List<String> notices(EcsSettings s, InstallerContext ctx) {
        List<String> notices = new ArrayList<>();
        if (ctx.managerUrlIsLocal()) {
            notices.add("The Manager's external URL, " + ctx.managerUrl() + ", names the Manager's own machine; "
                    + "delegates in AWS cannot reach it. Set OPENDELEGATE_EXTERNAL_URL on the Manager and download "
                    + "again.");
        }
        if (s.needsExecutionRole() && s.executionRoleArn() == null) {
            notices.add("ecs-task-spec.json names the execution role " + EcsSettings.EXECUTION_ROLE_PLACEHOLDER
                    + ": put your AWS account id in it, or download again with an execution role ARN.");
        }
        return notices;
    }

    private static void header(StringBuilder r, EcsSettings s, InstallerContext ctx) {
        r.append("OpenDelegate delegates on Amazon ECS, group ")
                .append(s.groupName())
                .append('\n')
                .append("=".repeat(60))
                .append("\n\n")
                .append("Made by the OpenDelegate Manager ")
                .append(ctx.managerVersion())
                .append(" for account ")
                .append(ctx.accountId())
                .append(".\n")
                .append("Launch type ")
                .append(s.launchType())
                .append(", network mode ")
                .append(s.networkMode())
                .append(", ")
                .append(s.cpu())
                .append(" CPU units, ")
                .append(s.memory())
                .append(" MiB, profile ")
                .append(s.profile())
                .append(", image ")
                .append(s.image())
                .append(".\n")
                .append("The delegates connect outbound (HTTPS) to ")
                .append(ctx.managerUrl())
                .append("; nothing connects into your network.\n")
                .append(
                        s.iam()
                                ? "No delegate token: the delegates register with the AWS identity of task role "
                                        + s.taskRoleArn() + ", which group " + s.groupName() + " trusts (Setup → "
                                        + "Delegates → the group's trusted identities; remove it there to lock them out).\n\n"
                                : "Delegate token: \"" + ctx.tokenName() + "\". Revoking it (Setup → Delegates → "
                                        + "Tokens) locks these delegates out.\n\n");
        if (ctx.managerUrlIsLocal()) {
            r.append("WARNING: the Manager's external URL, ")
                    .append(ctx.managerUrl())
                    .append(", names the Manager's "
                            + "own machine;\ndelegates in AWS cannot reach it. Set OPENDELEGATE_EXTERNAL_URL on the Manager "
                            + "to an address\nthey can reach, and download again.\n\n");
        }
        if (s.needsExecutionRole() && s.executionRoleArn() == null) {
            r.append("BEFORE YOU START: ecs-task-spec.json names the execution role\n  ")
                    .append(EcsSettings.EXECUTION_ROLE_PLACEHOLDER)
                    .append("\n")
                    .append("Put your AWS account id in it (or download again with executionRoleArn). Most accounts "
                            + "have this role\nalready; see IAM below for what it needs. The CloudFormation stack "
                            + "creates its own.\n\n");
        }
    }

    private static void files(StringBuilder r, EcsSettings s, boolean tokenFileIncluded) {
        r.append("Files\n-----\n").append("  ecs-task-spec.json                 RegisterTaskDefinition input\n");
        if (s.awsVpc()) {
            r.append("  service-spec-for-awsvpc-mode.json  CreateService input (cluster, subnets, security groups "
                    + "to fill in)\n");
        }
        r.append("  cloudformation.yaml                the same as one stack: log group, roles, task definition, "
                + "service\n");
        if (tokenFileIncluded) {
            r.append("  ")
                    .append(TOKEN_FILE)
                    .append("                 the new token, to store in AWS (step 1); " + "delete it afterwards\n");
        }
        r.append('\n');
    }

    private static void storeToken(StringBuilder r, int step, EcsSettings s) {
        r.append(step)
                .append(". Store the new token where the task definition reads it from (")
                .append(s.tokenSecretArn())
                .append("):\n\n");
        for (String line : storeTokenCommand(s).split("\n")) {
            r.append("     ").append(line).append('\n');
        }
        r.append('\n');
    }

    /** Puts the token file's content into the SSM parameter or secret, then deletes the file. */
    private static String storeTokenCommand(EcsSettings s) {
        String arn = s.tokenSecretArn();
        String region = arn.split(":")[3];
        String put = AwsShapes.isSsmParameter(arn)
                ? "aws ssm put-parameter --region " + region + " --name " + AwsShapes.ssmParameterName(arn)
                        + " --type SecureString --overwrite --value file://" + TOKEN_FILE
                : "aws secretsmanager put-secret-value --region " + region + " --secret-id " + arn
                        + " --secret-string file://" + TOKEN_FILE;
        return put + "\nrm " + TOKEN_FILE;
    }

    private static void createService(StringBuilder r, int step, EcsSettings s) {
        if (s.awsVpc()) {
            r.append(step)
                    .append(". In service-spec-for-awsvpc-mode.json replace ")
                    .append(EcsServiceSpec.CLUSTER_PLACEHOLDER)
                    .append(", ")
                    .append(EcsServiceSpec.SUBNET_PLACEHOLDER)
                    .append(" and ")
                    .append(EcsServiceSpec.SECURITY_GROUP_PLACEHOLDER)
                    .append("\n   with your cluster, subnets and security groups, then create the service (")
                    .append(s.launchType())
                    .append(" launch type):\n\n")
                    .append("     ")
                    .append(AWSVPC_SERVICE_COMMAND)
                    .append("\n\n")
                    .append("   The subnets need a route to the Manager: a NAT gateway, or public subnets with\n"
                            + "   \"assignPublicIp\": \"ENABLED\" (Fargate only). The security groups need no "
                            + "inbound rule.\n\n");
        } else {
            r.append(step)
                    .append(". Create the service on your EC2 cluster (replace ")
                    .append(EcsServiceSpec.CLUSTER_PLACEHOLDER)
                    .append("):\n\n     ")
                    .append(EcsServiceSpec.ec2Command(s))
                    .append("\n\n");
        }
    }

    private static void cloudFormation(StringBuilder r, EcsSettings s) {
        r.append("Or all of it as one CloudFormation stack\n----------------------------------------\n")
                .append("  aws cloudformation deploy --template-file cloudformation.yaml --stack-name ")
                .append(s.serviceName())
                .append(" \\\n      --capabilities CAPABILITY_IAM --parameter-overrides " + "Cluster=<cluster>");
        if (s.awsVpc()) {
            r.append(" Subnets=<subnet-a>,<subnet-b> SecurityGroups=<sg-id>");
        }
        r.append("\n\n  The stack creates the log group, the execution role (unless you gave one), the task role\n"
                + "  (unless you gave one; it may only look things up, see IAM), the task definition and the "
                + "service.\n\n");
    }

    private static void scaling(StringBuilder r, EcsSettings s) {
        r.append("Scaling\n-------\n")
                .append("  Each task of the service is one delegate of group ")
                .append(s.groupName())
                .append(": desired count = number of delegates.\n")
                .append("  aws ecs update-service --cluster <cluster> --service ")
                .append(s.serviceName())
                .append(" --desired-count 3\n")
                .append("  All delegates of a group share this task definition and the group's selectors "
                        + "(set them once on\n  the group: Setup → Delegates → the group → Selectors).\n\n");
    }

    private static void naming(StringBuilder r, EcsSettings s) {
        r.append("Delegate names\n--------------\n");
        if (s.awsVpc()) {
            r.append("  In awsvpc mode every delegate is named by its container id (12 characters), so every task\n"
                    + "  is a distinct delegate. A replaced task is a new delegate; the Manager removes its "
                    + "disconnected\n  predecessor after a short retention window, so no ghosts linger.\n\n");
        } else if (s.hostname() == null) {
            r.append("  No hostname is set, so Docker names each container by its id and each delegate is named by\n"
                    + "  that id (12 characters): replicas of this one task definition on one instance or many "
                    + "are distinct\n  delegates, and a replaced task is a new delegate whose disconnected "
                    + "predecessor the Manager\n  removes after a short retention window. A fixed hostname would "
                    + "give every replica the same name.\n\n");
        } else {
            r.append("  Every task of this definition has the hostname ")
                    .append(s.hostname())
                    .append(", so the first delegate is named\n  ")
                    .append(s.hostname())
                    .append(" and further live ones get a suffix from their task id (e.g. ")
                    .append(s.hostname())
                    .append("-1a2b3c4d).\n  Leave hostname blank to name each delegate by its container id "
                            + "instead.\n\n");
        }
    }

    private static void iam(StringBuilder r, EcsSettings s) {
        r.append("IAM\n---\n  Task role (")
                .append(
                        s.taskRoleArn() == null
                                ? "none given: ecs-task-spec.json "
                                        + "sets none, so on EC2 the\n  delegate falls back to the instance role and on Fargate it has no "
                                        + "AWS credentials; the stack creates one"
                                : s.taskRoleArn())
                .append("):\n  the credentials the delegate's AWS tasks use.\n")
                .append("  Trust policy: ecs-tasks.amazonaws.com may sts:AssumeRole. For the Manager's lookups "
                        + "(clusters, VPCs,\n  subnets, security groups) it needs:\n\n")
                .append(indent(json(TaskRolePolicy.lookupPolicy()), "    "))
                .append('\n')
                .append("  To deploy ECS services through the delegate (the stack grants it), also:\n\n")
                .append(indent(json(TaskRolePolicy.deployPolicy()), "    "))
                .append(
                        "\n  (iam:PassRole only to ECS tasks; narrow role/* to the roles your task definitions name).\n\n")
                .append("  Execution role: what ECS uses to start the task. Attach the AWS managed policy\n"
                        + "  AmazonECSTaskExecutionRolePolicy (pull the image, write logs)");
        if (s.tokenSecretArn() != null) {
            r.append(", and allow ")
                    .append(
                            AwsShapes.isSsmParameter(s.tokenSecretArn())
                                    ? "ssm:GetParameters"
                                    : "secretsmanager:GetSecretValue")
                    .append(" on\n  ")
                    .append(s.tokenSecretArn())
                    .append(" (plus kms:Decrypt if the secret uses your own KMS key)");
        }
        r.append(".\n\n");
    }

    private static void defaults(StringBuilder r, EcsSettings s, InstallerContext ctx) {
        r.append("Changing the defaults\n---------------------\n"
                        + "  Download again with other options (Setup → Delegates → Download Delegate, or\n"
                        + "  POST ")
                .append(ctx.managerUrl())
                .append("/api/v1/installers/ecs), e.g.\n" + "    {\"delegateGroupName\": \"")
                .append(s.groupName())
                .append("\", \"awsVpcMode\": true, "
                        + "\"cpu\": 512, \"memory\": 1024,\n     \"logGroup\": \"/ecs/opendelegate\", \"region\": "
                        + "\"us-east-1\", \"tokenSecretArn\": \"arn:aws:ssm:...\"}\n"
                        + "  Fields: profile, awsVpcMode, launchType, hostname, cpu, memory (Fargate takes only AWS's "
                        + "table of\n  combinations), taskRoleArn, executionRoleArn, logGroup + region, image, "
                        + "tokenSecretArn, tokenId,\n  tokenName, family, serviceName, desiredCount, assignPublicIp.\n"
                        + "  Running more than one group in an AWS account? Give each its own family (e.g. "
                        + "opendelegate-<group>):\n  registrations of one family are revisions of one task "
                        + "definition.\n"
                        + "  Editing ecs-task-spec.json by hand works too; register it again and update the service "
                        + "to the new\n  revision (aws ecs update-service --cluster <cluster> --service ")
                .append(s.serviceName())
                .append(" --task-definition ")
                .append(s.family())
                .append(").\n\n")
                .append("Container image\n---------------\n  ")
                .append(s.image())
                .append(" is built from this "
                        + "project's delegate/Dockerfile:\n"
                        + "    mvn -B -DskipTests package\n"
                        + "    docker build -f delegate/Dockerfile -t opendelegate/delegate:")
                .append(ctx.managerVersion())
                .append(" .\n  Push it to a registry your tasks can pull from (e.g. Amazon ECR) and set "
                        + "OPENDELEGATE_DELEGATE_IMAGE\n  on the Manager, or pass image in the download.\n");
    }

    private static String json(Object tree) {
        try {
            return ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always serialisable", e);
        }
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l + "\n").reduce("", String::concat);
    }
}
