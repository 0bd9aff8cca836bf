package org.opendelegate.manager.installers;

/**
 * A validated ECS installer request with every default applied. Every string here already matched its
 * shape in {@link AwsShapes}; nullable fields are the options the user left out. {@code iam}: the delegates
 * register with the task role's AWS identity instead of a token. {@code trust}: how the delegates check the
 * Manager's HTTPS certificate.
 */
record EcsSettings(
        String groupName,
        String profile,
        boolean awsVpc,
        LaunchType launchType,
        String hostname,
        int cpu,
        int memory,
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
        int desiredCount,
        boolean assignPublicIp,
        boolean iam,
        ManagerTrust trust) {

    /** Marks the execution role the user must fill in when none was given but one is needed. */
    static final String EXECUTION_ROLE_PLACEHOLDER =
            "arn:aws:iam::REPLACE_WITH_AWS_ACCOUNT_ID:role/ecsTaskExecutionRole";

    /** ECS needs an execution role on Fargate and to read a secret into the container. */
    boolean needsExecutionRole() {
        return launchType == LaunchType.FARGATE || tokenSecretArn != null;
    }

    /** The execution role for the task definition: the given one, a placeholder, or null when not needed. */
    String executionRoleOrPlaceholder() {
        if (executionRoleArn != null) {
            return executionRoleArn;
        }
        return needsExecutionRole() ? EXECUTION_ROLE_PLACEHOLDER : null;
    }

    String networkMode() {
        return awsVpc ? "awsvpc" : "bridge";
    }
}
