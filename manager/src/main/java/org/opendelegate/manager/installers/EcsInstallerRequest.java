package org.opendelegate.manager.installers;

import static org.opendelegate.manager.installers.FieldChecks.blankToNull;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opendelegate.manager.config.ImageReference;

/**
 * The body of {@code POST /api/v1/installers/ecs}: what the "Download Delegate → ECS Task Spec" dialog
 * asks. Everything but the group name is optional.
 *
 * @param delegateGroupName the group the delegates join (created if new); all delegates of a group share
 *     one task definition
 * @param profile the delegate profile, default {@code Primary}
 * @param awsVpcMode the {@code awsvpc} network mode (required for Fargate); default bridge
 * @param launchType {@code FARGATE} (the default in awsvpc mode) or {@code EC2} (the default otherwise)
 * @param hostname the container host name in bridge mode; blank leaves Docker's default (the container id)
 * @param cpu task CPU units (1024 = 1 vCPU), default 256
 * @param memory task memory in MiB, default 512
 * @param taskRoleArn the IAM role the delegate and its AWS tasks use
 * @param executionRoleArn the role ECS uses to pull the image, write logs and read the token secret
 * @param logGroup a CloudWatch log group for an {@code awslogs} log configuration
 * @param region the log group's region
 * @param image the delegate image; default the Manager's configured image
 * @param tokenSecretArn deliver the token from this SSM parameter or Secrets Manager secret instead of a
 *     plain environment variable
 * @param tokenId use this existing token instead of creating one (only with {@code tokenSecretArn}: the
 *     Manager keeps no copy of an existing token's secret)
 * @param tokenName the name of the new token; default derived from the group and the time
 * @param family the task definition family, default {@code opendelegate-task-spec}
 * @param serviceName the ECS service name, default {@code opendelegate-<group>}
 * @param desiredCount how many delegates the service runs, default 1
 * @param assignPublicIp give Fargate tasks a public IP (for public subnets without a NAT gateway)
 * @param authentication {@code TOKEN} (the default: a delegate token in the task definition) or {@code IAM}:
 *     the delegates register with the task role's AWS identity, the task definition carries no token and no
 *     secret, and the group trusts the task role (needs {@code taskRoleArn})
 * @param managerCaCert PEM of the CA the delegates trust the Manager's certificate by ({@code MANAGER_CA_CERT})
 * @param managerCertSha256 the SHA-256 pin of the Manager's certificate, 64 hex digits ({@code
 *     MANAGER_CERT_SHA256}); with neither, see {@link ManagerTrust} for the default
 */
public record EcsInstallerRequest(
        String delegateGroupName,
        String profile,
        Boolean awsVpcMode,
        String launchType,
        String hostname,
        Integer cpu,
        Integer memory,
        String taskRoleArn,
        String executionRoleArn,
        String logGroup,
        String region,
        String image,
        String tokenSecretArn,
        String tokenId,
        String tokenName,
        String family,
        String serviceName,
        Integer desiredCount,
        Boolean assignPublicIp,
        String authentication,
        String managerCaCert,
        String managerCertSha256) {

    static final String DEFAULT_FAMILY = "opendelegate-task-spec";

    /** Checks every field and applies the defaults, or throws a 400 naming every bad field. */
    EcsSettings validate(String defaultImage, String managerUrl, Optional<X509Certificate> served) {
        FieldChecks c = new FieldChecks();
        String group = c.groupName(delegateGroupName);
        String profileName = c.profile(profile);
        boolean awsVpc = Boolean.TRUE.equals(awsVpcMode);
        LaunchType launch = launchType(c, awsVpc);
        String host = c.shape("hostname", hostname, AwsShapes.HOSTNAME, AwsShapes.HOSTNAME_RULE);
        if (awsVpc && blankToNull(hostname) != null) {
            c.error(
                    "hostname",
                    "cannot be set in awsvpc mode (ECS refuses it there); each delegate is named by its "
                            + "container id. Leave it blank, or turn awsVpcMode off.");
        }
        int taskCpu = cpu == null ? TaskSize.DEFAULT_CPU : cpu;
        int taskMemory = memory == null ? TaskSize.DEFAULT_MEMORY : memory;
        sizes(c, launch, taskCpu, taskMemory);
        String taskRole = c.shape("taskRoleArn", taskRoleArn, AwsShapes.ROLE_ARN, AwsShapes.ROLE_ARN_RULE);
        String executionRole =
                c.shape("executionRoleArn", executionRoleArn, AwsShapes.ROLE_ARN, AwsShapes.ROLE_ARN_RULE);
        String logs = c.shape("logGroup", logGroup, AwsShapes.LOG_GROUP, AwsShapes.LOG_GROUP_RULE);
        String logRegion = c.shape("region", region, AwsShapes.REGION, AwsShapes.REGION_RULE);
        if (blankToNull(logGroup) != null && blankToNull(region) == null) {
            c.error(
                    "region",
                    "is required with logGroup: the awslogs driver needs the log group's region, e.g. " + "us-east-1.");
        }
        if (blankToNull(logGroup) == null && blankToNull(region) != null) {
            c.error("region", "is only used for the log configuration; give logGroup too, or leave region blank.");
        }
        String delegateImage = image == null || image.isBlank() ? defaultImage : image.trim();
        if (!ImageReference.isValid(delegateImage)) {
            c.error(
                    "image",
                    "(\"" + delegateImage.replaceAll("[\\p{Cntrl}\"\\\\]", "?") + "\") must be " + ImageReference.RULE
                            + ".");
        }
        String secretArn = secretArn(c);
        String existingToken = blankToNull(tokenId);
        String newTokenName = InstallerTokens.checkName(c, tokenName);
        tokenChoice(c, secretArn, existingToken, newTokenName);
        boolean iam = iamAuthentication(c, taskRole);
        String familyName = family == null || family.isBlank()
                ? DEFAULT_FAMILY
                : c.shape("family", family, AwsShapes.ECS_NAME, AwsShapes.ECS_NAME_RULE);
        String service = serviceName == null || serviceName.isBlank()
                ? (group == null ? null : "opendelegate-" + group.replace('.', '-'))
                : c.shape("serviceName", serviceName, AwsShapes.ECS_NAME, AwsShapes.ECS_NAME_RULE);
        int count = c.range("desiredCount", desiredCount, 1, 0, 1000);
        boolean publicIp = Boolean.TRUE.equals(assignPublicIp);
        if (publicIp && launch != LaunchType.FARGATE) {
            c.error(
                    "assignPublicIp",
                    "is only supported for the FARGATE launch type; EC2 tasks use the instance's " + "network.");
        }
        ManagerTrust trust = ManagerTrust.check(c, managerCaCert, managerCertSha256, managerUrl, served);
        c.throwIfAny();
        return new EcsSettings(
                group,
                profileName,
                awsVpc,
                launch,
                host,
                taskCpu,
                taskMemory,
                taskRole,
                executionRole,
                logs,
                logRegion,
                delegateImage,
                secretArn,
                existingToken,
                newTokenName,
                familyName,
                service,
                count,
                publicIp,
                iam,
                trust);
    }

    /** Whether the delegates register by IAM identity; IAM needs the task role and no token options. */
    private boolean iamAuthentication(FieldChecks c, String taskRole) {
        String mode = blankToNull(authentication);
        if (mode == null || mode.equalsIgnoreCase("TOKEN")) {
            return false;
        }
        if (!mode.equalsIgnoreCase("IAM")) {
            c.error(
                    "authentication",
                    "must be TOKEN (a delegate token in the task definition) or IAM (the task "
                            + "role's AWS identity, no secret in the task definition).");
            return false;
        }
        if (taskRole == null && !c.has("taskRoleArn")) {
            c.error(
                    "taskRoleArn",
                    "is required with authentication IAM: the delegates prove who they are with this role, and the "
                            + "group trusts it. Give the task role's ARN, e.g. "
                            + "arn:aws:iam::123456789012:role/opendelegate-task.");
        }
        for (String field : List.of("tokenSecretArn", "tokenId", "tokenName")) {
            String value = switch (field) {
                case "tokenSecretArn" -> tokenSecretArn;
                case "tokenId" -> tokenId;
                default -> tokenName;
            };
            if (blankToNull(value) != null) {
                c.error(field, "is for token authentication; with authentication IAM there is no token. Leave it out.");
            }
        }
        return true;
    }

    private LaunchType launchType(FieldChecks c, boolean awsVpc) {
        if (launchType == null || launchType.isBlank()) {
            return awsVpc ? LaunchType.FARGATE : LaunchType.EC2;
        }
        LaunchType chosen;
        try {
            chosen = LaunchType.valueOf(launchType.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            c.error("launchType", "must be FARGATE or EC2.");
            return awsVpc ? LaunchType.FARGATE : LaunchType.EC2;
        }
        if (chosen == LaunchType.FARGATE && !awsVpc) {
            c.error("launchType", "FARGATE needs the awsvpc network mode; set awsVpcMode to true.");
        }
        return chosen;
    }

    private static void sizes(FieldChecks c, LaunchType launch, int taskCpu, int taskMemory) {
        String problem = launch == LaunchType.FARGATE
                ? TaskSize.fargateProblem(taskCpu, taskMemory)
                : TaskSize.ec2Problem(taskCpu, taskMemory);
        if (problem != null) {
            c.error(problem.startsWith("cpu") ? "cpu" : "memory", problem + ".");
        }
    }

    private String secretArn(FieldChecks c) {
        String arn = blankToNull(tokenSecretArn);
        if (arn != null
                && !AwsShapes.SSM_PARAMETER_ARN.matcher(arn).matches()
                && !AwsShapes.SECRETS_MANAGER_ARN.matcher(arn).matches()) {
            c.error("tokenSecretArn", "must be " + AwsShapes.SECRET_ARN_RULE + ".");
            return null;
        }
        return arn;
    }

    private static void tokenChoice(FieldChecks c, String secretArn, String existingToken, String newTokenName) {
        if (existingToken != null && newTokenName != null) {
            c.error("tokenName", "names a new token, but tokenId picks an existing one; give only one of them.");
        }
        if (existingToken != null && secretArn == null && !c.has("tokenSecretArn")) {
            c.error(
                    "tokenId",
                    "needs tokenSecretArn: the Manager keeps only a hash of an existing token, so it "
                            + "cannot write its secret into the task definition. Give the ARN where the token is stored, "
                            + "or leave tokenId out to get a new token.");
        }
    }
}
