package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.opendelegate.protocol.ProtocolJson;

/**
 * {@code ecs-task-spec.json}: a complete {@code RegisterTaskDefinition} input, valid as downloaded for
 * the chosen network mode and launch type. Built as a JSON tree, so no value can break its syntax.
 */
final class EcsTaskSpec {
    static final String CONTAINER_NAME = "ecs-delegate";
    /** The container health check; the image has busybox {@code wget} (Alpine). */
    static final String HEALTH_COMMAND =
            "wget -qO- http://127.0.0.1:" + DelegateEnvironment.HEALTH_PORT + "/healthz >/dev/null || exit 1";

    static final String LOG_STREAM_PREFIX = "opendelegate";
    /** Seconds ECS waits after SIGTERM: the delegate drains running tasks for 25 s, then deregisters. */
    static final int STOP_TIMEOUT = 30;

    private EcsTaskSpec() {}

    /**
     * The roles and the log group the task definition names, as the file at hand refers to them: by ARN
     * and name in the task spec, by reference to the stack's own resources in the CloudFormation template.
     * A null one is left out.
     */
    record Resources(JsonNode taskRole, JsonNode executionRole, JsonNode logGroup, JsonNode logRegion) {
        /** As the downloaded task spec names them: what the user gave, or a placeholder to fill in. */
        static Resources given(EcsSettings s) {
            return new Resources(
                    text(s.taskRoleArn()), text(s.executionRoleOrPlaceholder()), text(s.logGroup()), text(s.region()));
        }

        private static JsonNode text(String value) {
            return value == null ? null : JsonNodeFactory.instance.textNode(value);
        }
    }

    /** The task spec as downloaded. */
    static ObjectNode build(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        return build(s, ctx, tokenSecret, Resources.given(s));
    }

    /**
     * The task definition in the ECS API's spelling; the CloudFormation template takes the same one in
     * its own spelling, so the two files cannot drift apart.
     */
    static ObjectNode build(EcsSettings s, InstallerContext ctx, String tokenSecret, Resources resources) {
        ObjectNode spec = ProtocolJson.mapper().createObjectNode();
        spec.put("family", s.family());
        putIfGiven(spec, "taskRoleArn", resources.taskRole());
        putIfGiven(spec, "executionRoleArn", resources.executionRole());
        spec.put("networkMode", s.networkMode());
        spec.putArray("requiresCompatibilities").add(s.launchType().name());
        spec.put("cpu", String.valueOf(s.cpu()));
        spec.put("memory", String.valueOf(s.memory()));
        spec.putArray("containerDefinitions").add(container(s, ctx, tokenSecret, resources));
        ArrayNode tags = spec.putArray("tags");
        tags.addObject().put("key", "opendelegate:group").put("value", s.groupName());
        return spec;
    }

    private static ObjectNode container(EcsSettings s, InstallerContext ctx, String tokenSecret, Resources resources) {
        ObjectNode c = ProtocolJson.mapper().createObjectNode();
        c.put("name", CONTAINER_NAME);
        c.put("image", s.image());
        c.put("essential", true);
        if (!s.awsVpc() && s.hostname() != null) {
            c.put("hostname", s.hostname());
        }
        ArrayNode env = c.putArray("environment");
        Map<String, String> settings = DelegateEnvironment.of(
                ctx, s.groupName(), s.profile(), "ECS", s.tokenSecretArn() == null ? tokenSecret : null);
        // A task definition has no files: the CA goes in as PEM text.
        s.trust().addTo(settings, null);
        // The JVM reads JAVA_TOOL_OPTIONS itself, so they hold for any image that runs the delegate jar.
        settings.put("JAVA_TOOL_OPTIONS", DelegateJvmOptions.ECS);
        settings.put("MALLOC_ARENA_MAX", DelegateJvmOptions.MALLOC_ARENA_MAX);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            env.addObject().put("name", e.getKey()).put("value", e.getValue());
        }
        if (s.iam()) {
            // No token and no secret: the delegate proves its task role's identity, naming this Manager.
            env.addObject().put("name", "DELEGATE_AUTHENTICATION").put("value", "IAM");
            env.addObject().put("name", "MANAGER_ID").put("value", ctx.managerId());
        }
        if (s.tokenSecretArn() != null) {
            c.putArray("secrets").addObject().put("name", "DELEGATE_TOKEN").put("valueFrom", s.tokenSecretArn());
        }
        ObjectNode port = c.putArray("portMappings").addObject().put("containerPort", DelegateEnvironment.HEALTH_PORT);
        if (!s.awsVpc()) {
            // Dynamic host port: several delegates fit on one instance in bridge mode.
            port.put("hostPort", 0);
        }
        port.put("protocol", "tcp");
        ObjectNode health = c.putObject("healthCheck");
        health.putArray("command").add("CMD-SHELL").add(HEALTH_COMMAND);
        health.put("interval", 30).put("timeout", 5).put("retries", 3).put("startPeriod", 30);
        c.put("stopTimeout", STOP_TIMEOUT);
        if (resources.logGroup() != null) {
            ObjectNode options =
                    c.putObject("logConfiguration").put("logDriver", "awslogs").putObject("options");
            options.set("awslogs-group", resources.logGroup());
            options.set("awslogs-region", resources.logRegion());
            options.put("awslogs-stream-prefix", LOG_STREAM_PREFIX);
        }
        return c;
    }

    private static void putIfGiven(ObjectNode node, String field, JsonNode value) {
        if (value != null) {
            node.set(field, value);
        }
    }
}
