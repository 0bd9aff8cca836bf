package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A task definition as the flat list of what it sets ({@code containerDefinitions[web].environment[LOG_LEVEL]
 * -> debug}), so that two can be compared and their difference shown: containers and name/value lists are keyed
 * by name, other lists by position. What ECS fills in by default when it describes one ({@code essential},
 * port {@code protocol}...) is not a difference.
 */
final class TaskDefinitionShape {
    /** The RegisterTaskDefinition input fields: what a deployment may set. */
    static final Set<String> REGISTER_FIELDS = Set.of(
            "family",
            "taskRoleArn",
            "executionRoleArn",
            "networkMode",
            "containerDefinitions",
            "volumes",
            "placementConstraints",
            "requiresCompatibilities",
            "cpu",
            "memory",
            "pidMode",
            "ipcMode",
            "proxyConfiguration",
            "inferenceAccelerators",
            "ephemeralStorage",
            "runtimePlatform",
            "enableFaultInjection");

    /** Leaves ECS adds on describe when the input did not set them. */
    private static final Map<String, Set<String>> DEFAULTS = Map.of(
            "essential", Set.of("true"),
            "protocol", Set.of("tcp"),
            "cpu", Set.of("0"),
            "networkMode", Set.of("bridge"),
            "enableFaultInjection", Set.of("false"));

    private TaskDefinitionShape() {}

    /** The register-input part of a described task definition (as {@link SdkJson#write} gives it). */
    static ObjectNode registerInput(JsonNode described) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        described.properties().forEach(e -> {
            if (REGISTER_FIELDS.contains(e.getKey())) {
                input.set(e.getKey(), e.getValue());
            }
        });
        return input;
    }

    /** Every leaf the definition sets, by path. */
    static Map<String, String> flatten(JsonNode definition) {
        Map<String, String> leaves = new LinkedHashMap<>();
        flatten("", definition, leaves);
        return leaves;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> leaves) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), leaves);
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                String key = item.isObject() && item.path("name").isTextual()
                        ? item.get("name").asText()
                        : item.isObject() && item.has("containerPort")
                                ? item.get("containerPort").asText()
                                : item.isValueNode() ? item.asText() : String.valueOf(i);
                if (item.isObject() && item.path("name").isTextual() && item.has("value") && item.size() == 2) {
                    leaves.put(path + "[" + key + "]", item.get("value").asText());
                } else if (item.isValueNode()) {
                    leaves.put(path + "[" + key + "]", item.asText());
                } else {
                    flatten(path + "[" + key + "]", item, leaves);
                }
            }
        } else {
            leaves.put(path, node.asText());
        }
    }

    /** True when {@code path} names a value ECS fills in by itself. */
    static boolean isDefault(String path, String value) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (key.equals("hostPort")) {
            return true;
        }
        Set<String> defaults = DEFAULTS.get(key);
        return defaults != null && defaults.contains(value);
    }

    /** Whether the latest revision sets exactly what the wanted input sets (ECS's own defaults aside). */
    static boolean identical(JsonNode wanted, JsonNode latest) {
        Map<String, String> a = flatten(wanted);
        Map<String, String> b = flatten(registerInput(latest));
        Set<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        for (String path : paths) {
            String mine = a.get(path);
            String theirs = b.get(path);
            if (mine == null
                    ? !isDefault(path, theirs)
                    : theirs == null ? !isDefault(path, mine) : !mine.equals(theirs)) {
                return false;
            }
        }
        return true;
    }
}
