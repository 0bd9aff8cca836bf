package org.opendelegate.manager.installers;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
    static final String HEALTH_COMMAND = "wget -qO- http://127.0.0.1:" + DelegateEnvironment.HEALTH_PORT
            + "/healthz >/dev/null || exit 1";
    static final String LOG_STREAM_PREFIX = "opendelegate";
    /** Seconds ECS waits after SIGTERM: the delegate drains running tasks for 25 s, then deregisters. */
    static final int STOP_TIMEOUT = 30;

    private EcsTaskSpec() {
    }

    static ObjectNode build(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode spec = ProtocolJson.mapper().createObjectNode();
        spec.put("family", s.family());
        if (s.taskRoleArn() != null) {
            spec.put("taskRoleArn", s.taskRoleArn());
        }
        if (s.executionRoleOrPlaceholder() != null) {
            spec.put("executionRoleArn", s.executionRoleOrPlaceholder());
        }
        spec.put("networkMode", s.networkMode());
        spec.putArray("requiresCompatibilities").add(s.launchType().name());
        spec.put("cpu", String.valueOf(s.cpu()));
        spec.put("memory", String.valueOf(s.memory()));
        spec.putArray("containerDefinitions").add(container(s, ctx, tokenSecret));
        ArrayNode tags = spec.putArray("tags");
        tags.addObject().put("key", "opendelegate:group").put("value", s.groupName());
        return spec;
    }

    private static ObjectNode container(EcsSettings s, InstallerContext ctx, String tokenSecret) {
        ObjectNode c = ProtocolJson.mapper().createObjectNode();
        c.put("name", CONTAINER_NAME);
        c.put("image", s.image());
        c.put("essential", true);
        if (!s.awsVpc() && s.hostname() != null) {
            c.put("hostname", s.hostname());
        }
        ArrayNode env = c.putArray("environment");
        for (Map.Entry<String, String> e : DelegateEnvironment.of(ctx, s.groupName(), s.profile(), "ECS",
                s.tokenSecretArn() == null ? tokenSecret : null).entrySet()) {
            env.addObject().put("name", e.getKey()).put("value", e.getValue());
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
        if (s.logGroup() != null) {
            ObjectNode logs = c.putObject("logConfiguration").put("logDriver", "awslogs");
            logs.putObject("options").put("awslogs-group", s.logGroup()).put("awslogs-region", s.region())
                    .put("awslogs-stream-prefix", LOG_STREAM_PREFIX);
        }
        return c;
    }
}
