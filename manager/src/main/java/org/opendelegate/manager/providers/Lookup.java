package org.opendelegate.manager.providers;

import java.util.List;
import org.opendelegate.protocol.AwsTaskTypes;

/**
 * The lookups a cloud provider answers through a delegate: the task type, the parameters it needs besides
 * the region, and where the items are in the task's result.
 */
public enum Lookup {
    REGIONS("regions", AwsTaskTypes.REGIONS, "regions", List.of()),
    ECS_CLUSTERS("ecs-clusters", AwsTaskTypes.ECS_CLUSTERS, "clusters", List.of()),
    ECS_SERVICES("ecs-services", AwsTaskTypes.ECS_SERVICES, "services", List.of("cluster")),
    VPCS("vpcs", AwsTaskTypes.VPCS, "vpcs", List.of()),
    SUBNETS("subnets", AwsTaskTypes.SUBNETS, "subnets", List.of("vpcId")),
    SECURITY_GROUPS("security-groups", AwsTaskTypes.SECURITY_GROUPS, "securityGroups", List.of("vpcId")),
    IAM_ROLES("iam-roles", AwsTaskTypes.IAM_ROLES, "roles", List.of());

    private final String path;
    private final String taskType;
    private final String resultField;

    @SuppressWarnings("ImmutableEnumChecker") // always a List.of(...), which cannot change
    private final List<String> params;

    Lookup(String path, String taskType, String resultField, List<String> params) {
        this.path = path;
        this.taskType = taskType;
        this.resultField = resultField;
        this.params = params;
    }

    /** The last part of its API path, e.g. {@code security-groups}. */
    public String path() {
        return path;
    }

    String taskType() {
        return taskType;
    }

    String resultField() {
        return resultField;
    }

    /** The query parameters it needs besides the region. */
    List<String> params() {
        return params;
    }
}
