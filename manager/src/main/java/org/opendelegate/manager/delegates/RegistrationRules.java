package org.opendelegate.manager.delegates;

import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.RegisterRequest;

/**
 * Checks a registration before anything is written. Everything a delegate sends is untrusted: lengths
 * are bounded and control characters refused; pages escape the rest.
 */
public final class RegistrationRules {
    /** Group names: what ECS and humans both accept. */
    public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public static final String GROUP_NAME_RULE =
            "1 to 63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    private RegistrationRules() {}

    static void check(RegisterRequest r) {
        FieldRules rules =
                new FieldRules().required("instanceId", r.instanceId(), 64).required("name", r.name(), 255);
        if (r.groupName() == null || !GROUP_NAME.matcher(r.groupName()).matches()) {
            rules.error(
                    "groupName",
                    "(\"" + shown(r.groupName()) + "\") must be " + GROUP_NAME_RULE + "; check DELEGATE_GROUP_NAME.");
        }
        rules.text("profileName", r.profileName(), 100)
                .text("hostname", r.hostname(), 255)
                .text("ip", r.ip(), 64)
                .text("version", r.version(), 64);
        if (r.type() == null) {
            rules.error("type", "is required: ECS, SHELL or DOCKER.");
        }
        if (r.launchType() != null && !List.of("EC2", "FARGATE", "EXTERNAL").contains(r.launchType())) {
            rules.error("launchType", "must be EC2, FARGATE, EXTERNAL or absent.");
        }
        if (r.identityKind() == null) {
            rules.error("identityKind", "is required: STABLE or EPHEMERAL.");
        }
        if (r.capacity() < 1 || r.capacity() > 256) {
            rules.error("capacity", "is " + r.capacity() + "; it must be from 1 to 256.");
        }
        rules.list("selectors", r.selectors(), Selectors.MAX_COUNT, 64)
                .list("taskTypes", r.taskTypes(), 200, 100)
                .entries("runningTaskIds", r.runningTaskIds(), FieldRules.MAX_RUNNING_TASK_IDS, FieldRules.MAX_TASK_ID);
        ecs(rules, r.ecs());
        rules.throwIfAny();
    }

    /** ECS task metadata: each field as long as its column (the launch type as long as the delegate's). */
    private static void ecs(FieldRules rules, EcsIdentity ecs) {
        if (ecs == null) {
            return;
        }
        rules.text("ecs.taskArn", ecs.taskArn(), 255)
                .text("ecs.cluster", ecs.cluster(), 255)
                .text("ecs.containerId", ecs.containerId(), 128)
                .text("ecs.containerName", ecs.containerName(), 255)
                .text("ecs.networkMode", ecs.networkMode(), 20)
                .text("ecs.launchType", ecs.launchType(), 20)
                .text("ecs.availabilityZone", ecs.availabilityZone(), 64)
                .text("ecs.family", ecs.family(), 255)
                .text("ecs.revision", ecs.revision(), 20);
    }

    /** Echoes a refused value safely: bounded, without control characters. */
    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
