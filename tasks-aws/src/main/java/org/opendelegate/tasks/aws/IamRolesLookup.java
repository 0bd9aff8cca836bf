package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code aws.iam-roles}: the roles ECS tasks may assume, i.e. whose trust policy lets
 * {@code ecs-tasks.amazonaws.com} call {@code sts:AssumeRole}. IAM pages 100 roles at a time by default.
 */
final class IamRolesLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        IamClient iam = session.iam();
        ArrayNode roles = result.putArray("roles");
        int[] scanned = {0};
        int pages = session.pages("iam", "ListRoles", iam::listRolesPaginator, page -> {
            for (Role r : page.roles()) {
                scanned[0]++;
                if (EcsTaskTrust.allows(r.assumeRolePolicyDocument())) {
                    roles.addObject()
                            .put("name", r.roleName())
                            .put("arn", r.arn())
                            .put("path", r.path());
                }
            }
        });
        result.put("scanned", scanned[0]);
        session.record("iam", "ListRoles", pages, scanned[0], "roles, " + roles.size() + " assumable by ECS tasks");
    }
}
