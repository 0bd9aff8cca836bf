package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.opendelegate.spi.TaskFailure;

/**
 * What every AWS task is told: the region, where its credentials come from, and an optional role to
 * assume. Read from the payload; the secret access key is read from the task's secrets and kept apart.
 *
 * @param region the region the calls go to
 * @param accessKeyId the access key id for {@link Mode#ACCESS_KEY}, else null
 * @param roleArn the cross-account role to assume on top, or null
 * @param externalId the external id for the role, or null
 */
record AwsTaskInput(String region, Mode mode, String accessKeyId, String roleArn, String externalId) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /** Where the base credentials come from. */
    enum Mode {
        /** The SDK's default chain: the ECS task role, the EC2 instance profile, or the environment. */
        DELEGATE_IAM_ROLE,
        /** An access key the Manager sends with the task. */
        ACCESS_KEY
    }

    static AwsTaskInput of(JsonNode payload) throws TaskFailure {
        String region = text(payload, "region");
        if (region == null || !REGION.matcher(region).matches()) {
            throw TaskFailure.task("the task needs a region like \"us-east-1\"; got " + payload.get("region"));
        }
        JsonNode credentials = payload.path("credentials");
        String type = text(credentials, "type");
        Mode mode;
        if (type == null || type.equals("DELEGATE_IAM_ROLE")) {
            mode = Mode.DELEGATE_IAM_ROLE;
        } else if (type.equals("ACCESS_KEY")) {
            mode = Mode.ACCESS_KEY;
        } else {
            throw TaskFailure.task(
                    "unknown credentials type \"" + type + "\"; expected DELEGATE_IAM_ROLE or ACCESS_KEY");
        }
        String accessKeyId = text(credentials, "accessKeyId");
        if (mode == Mode.ACCESS_KEY && accessKeyId == null) {
            throw TaskFailure.task("credentials of type ACCESS_KEY need an accessKeyId");
        }
        JsonNode role = payload.path("crossAccountRole");
        String roleArn = text(role, "roleArn");
        if (role.isObject() && roleArn == null) {
            throw TaskFailure.task("crossAccountRole needs a roleArn");
        }
        return new AwsTaskInput(
                region, mode, mode == Mode.ACCESS_KEY ? accessKeyId : null, roleArn, text(role, "externalId"));
    }

    /** A parameter of the lookup that must be present, e.g. the VPC id. */
    static String required(JsonNode payload, String field, String example) throws TaskFailure {
        String value = text(payload, field);
        if (value == null) {
            throw TaskFailure.task("the task needs \"" + field + "\", e.g. \"" + example + "\"");
        }
        return value;
    }

    /** Who the credentials belong to, for messages, before the principal is known. */
    String credentialsDescription() {
        return mode == Mode.ACCESS_KEY
                ? "the access key " + accessKeyId + " of this cloud provider"
                : "the credentials of this delegate (the AWS default chain: ECS task role, EC2 instance profile or"
                        + " environment)";
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank()
                ? null
                : value.asText().trim();
    }
}
