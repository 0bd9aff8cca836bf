package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Reads a role's trust policy (IAM returns it URL-encoded) and tells whether ECS tasks may assume the role:
 * an {@code Allow} statement for {@code sts:AssumeRole} (or a wildcard) with the service principal
 * {@code ecs-tasks.amazonaws.com}. A policy that does not parse allows nothing.
 */
final class EcsTaskTrust {
    static final String SERVICE = "ecs-tasks.amazonaws.com";

    private EcsTaskTrust() {}

    static boolean allows(String document) {
        if (document == null || document.isBlank()) {
            return false;
        }
        String json = document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        JsonNode policy;
        try {
            policy = ProtocolJson.mapper().readTree(json);
        } catch (IOException e) {
            return false;
        }
        JsonNode statements = policy.path("Statement");
        if (statements.isObject()) {
            return allowsEcsTasks(statements);
        }
        for (JsonNode statement : statements) {
            if (allowsEcsTasks(statement)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowsEcsTasks(JsonNode statement) {
        return "Allow".equals(statement.path("Effect").asText())
                && contains(statement.path("Action"), "sts:AssumeRole", "sts:*", "*")
                && contains(statement.path("Principal").path("Service"), SERVICE);
    }

    private static boolean contains(JsonNode value, String... accepted) {
        if (value.isTextual()) {
            for (String a : accepted) {
                if (a.equalsIgnoreCase(value.asText())) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode item : value) {
            if (contains(item, accepted)) {
                return true;
            }
        }
        return false;
    }
}
