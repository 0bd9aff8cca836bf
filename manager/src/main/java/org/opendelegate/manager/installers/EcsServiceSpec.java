package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.protocol.ProtocolJson;

/**
 * {@code service-spec-for-awsvpc-mode.json}: a complete {@code CreateService} input. Only what only the
 * user knows is a placeholder: the cluster, the subnets and the security groups.
 */
final class EcsServiceSpec {
    static final String CLUSTER_PLACEHOLDER = "REPLACE_WITH_CLUSTER_NAME";
    static final String SUBNET_PLACEHOLDER = "subnet-REPLACE_ME";
    static final String SECURITY_GROUP_PLACEHOLDER = "sg-REPLACE_ME";

    private EcsServiceSpec() {}

    static ObjectNode build(EcsSettings s) {
        ObjectNode spec = ProtocolJson.mapper().createObjectNode();
        spec.put("cluster", CLUSTER_PLACEHOLDER);
        spec.put("serviceName", s.serviceName());
        spec.put("taskDefinition", s.family());
        spec.put("desiredCount", s.desiredCount());
        spec.put("launchType", s.launchType().name());
        ObjectNode vpc = spec.putObject("networkConfiguration").putObject("awsvpcConfiguration");
        vpc.putArray("subnets").add(SUBNET_PLACEHOLDER);
        vpc.putArray("securityGroups").add(SECURITY_GROUP_PLACEHOLDER);
        vpc.put("assignPublicIp", s.assignPublicIp() ? "ENABLED" : "DISABLED");
        ObjectNode deployment = spec.putObject("deploymentConfiguration");
        // Start the new delegate before stopping the old one, so the group is never empty during a rollout.
        deployment.put("minimumHealthyPercent", 100).put("maximumPercent", 200);
        spec.put("propagateTags", "TASK_DEFINITION");
        return spec;
    }

    /** The create-service command for the EC2 launch type in bridge mode, as one line. */
    static String ec2Command(EcsSettings s) {
        return "aws ecs create-service --cluster " + CLUSTER_PLACEHOLDER + " --service-name " + s.serviceName()
                + " --task-definition " + s.family() + " --desired-count " + s.desiredCount()
                + " --launch-type EC2 --propagate-tags TASK_DEFINITION";
    }
}
