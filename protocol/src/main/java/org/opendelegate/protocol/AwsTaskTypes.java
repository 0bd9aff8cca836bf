package org.opendelegate.protocol;

import java.util.List;

/**
 * The AWS task types: the Manager submits them for its cloud providers, delegates that carry the AWS
 * handlers run them. Their payloads share {@code region}, {@code credentials} ({@code {"type":
 * "DELEGATE_IAM_ROLE"}} or {@code {"type": "ACCESS_KEY", "accessKeyId": "..."}}, the secret access key
 * travelling in the assignment's secrets as {@code secretAccessKey}) and optionally {@code crossAccountRole}
 * ({@code {"roleArn": "...", "externalId": "..."}}).
 */
public final class AwsTaskTypes {
    /** STS GetCallerIdentity and EC2 DescribeRegions: who the delegate acts as, and that it can call AWS. */
    public static final String TEST_CONNECTION = "aws.test-connection";
    /** EC2 DescribeRegions. */
    public static final String REGIONS = "aws.regions";
    /** ECS ListClusters. */
    public static final String ECS_CLUSTERS = "aws.ecs-clusters";
    /** ECS ListServices of {@code cluster}. */
    public static final String ECS_SERVICES = "aws.ecs-services";
    /** EC2 DescribeVpcs. */
    public static final String VPCS = "aws.vpcs";
    /** EC2 DescribeSubnets of {@code vpcId}. */
    public static final String SUBNETS = "aws.subnets";
    /** EC2 DescribeSecurityGroups of {@code vpcId}. */
    public static final String SECURITY_GROUPS = "aws.security-groups";
    /** IAM ListRoles, keeping the roles ECS tasks may assume. */
    public static final String IAM_ROLES = "aws.iam-roles";

    /**
     * An ECS deployment: register a task definition, update (or create) a service, wait for steady state, roll
     * back on failure. Not a lookup, so not in {@link #ALL}; its payload and checkpoint are described in
     * {@code docs/deployments.md}.
     */
    public static final String ECS_DEPLOY = "aws.ecs.deploy";

    /** Every AWS lookup task type. */
    public static final List<String> ALL =
            List.of(TEST_CONNECTION, REGIONS, ECS_CLUSTERS, ECS_SERVICES, VPCS, SUBNETS, SECURITY_GROUPS, IAM_ROLES);

    private AwsTaskTypes() {}
}
