package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.spi.TaskFailure;

/**
 * What an {@code aws.ecs.deploy} task asks for, checked again here (the Manager checked it at submission, but a
 * delegate does not trust blindly), with every {@code ${NAME}} placeholder of the task definition filled.
 * Values of secret variables ({@code "secret:NAME"}, resolved by the Manager into the assignment's
 * {@code secrets.variables.NAME}) are known to {@link #mask} so that no log line, diff or result shows them.
 */
record DeployRequest(
        String cluster,
        String service,
        ObjectNode taskDefinition,
        String taskDefinitionArn,
        String image,
        String container,
        Integer desiredCount,
        ObjectNode serviceDefinition,
        Duration steadyStateTimeout,
        boolean rollbackOnFailure,
        boolean dryRun,
        String deploymentId,
        List<String> secretValues) {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final String MASK = "****";

    static DeployRequest of(JsonNode payload, JsonNode secrets) throws TaskFailure {
        String cluster = AwsTaskInput.required(payload, "cluster", "prod-cluster");
        String service = AwsTaskInput.required(payload, "service", "web");
        JsonNode definition = payload.get("taskDefinition");
        String image = AwsTaskInput.text(payload, "image");
        String existingArn = AwsTaskInput.text(payload, "taskDefinitionArn");
        boolean hasDefinition = definition != null && !definition.isNull();
        int given = (hasDefinition ? 1 : 0) + (image != null ? 1 : 0) + (existingArn != null ? 1 : 0);
        if (given != 1) {
            throw TaskFailure.task("the task needs exactly one of \"taskDefinition\", \"image\" and"
                    + " \"taskDefinitionArn\" (an existing revision, as a rollback deploys)");
        }
        if (hasDefinition && !definition.isObject()) {
            throw TaskFailure.task("\"taskDefinition\" must be a RegisterTaskDefinition input (a JSON object)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> secretValues = new ArrayList<>();
        JsonNode variables = payload.path("variables");
        if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
            throw TaskFailure.task("\"variables\" must be an object of NAME to text");
        }
        for (Map.Entry<String, JsonNode> variable : variables.properties()) {
            String name = variable.getKey();
            if (!NAME.matcher(name).matches()) {
                throw TaskFailure.task("variable name \"variables." + name + "\" must match " + NAME.pattern());
            }
            if (!variable.getValue().isTextual()) {
                throw TaskFailure.task("\"variables." + name + "\" must be text");
            }
            String value = variable.getValue().asText();
            if (value.startsWith("secret:")) {
                JsonNode resolved = secrets.path("variables").path(name);
                if (!resolved.isTextual()) {
                    throw TaskFailure.task("\"variables." + name + "\" refers to " + value + " but the task carries no"
                            + " value for it; submit the deployment again");
                }
                value = resolved.asText();
                if (!value.isEmpty()) {
                    secretValues.add(value);
                }
            }
            values.put(name, value);
        }
        ObjectNode filled = hasDefinition ? (ObjectNode) fill(definition.deepCopy(), values) : null;
        JsonNode count = payload.get("desiredCount");
        if (count != null
                && !count.isNull()
                && (!count.canConvertToInt() || count.asInt() < 0 || !count.isIntegralNumber())) {
            throw TaskFailure.task("\"desiredCount\" must be a whole number of 0 or more; got " + count);
        }
        JsonNode serviceDefinition = payload.get("serviceDefinition");
        if (serviceDefinition != null && !serviceDefinition.isNull() && !serviceDefinition.isObject()) {
            throw TaskFailure.task("\"serviceDefinition\" must be a CreateService input (a JSON object)");
        }
        JsonNode timeout = payload.get("steadyStateTimeoutSeconds");
        int seconds = timeout == null || timeout.isNull() ? 600 : timeout.asInt(-1);
        if (seconds < 30 || seconds > 3600) {
            throw TaskFailure.task("\"steadyStateTimeoutSeconds\" must be from 30 to 3600; got " + timeout);
        }
        secretValues.sort(Comparator.comparingInt(String::length).reversed());
        return new DeployRequest(
                cluster,
                service,
                filled,
                existingArn,
                image == null ? null : fillText(image, values, "image"),
                AwsTaskInput.text(payload, "container"),
                count == null || count.isNull() ? null : count.asInt(),
                serviceDefinition == null || serviceDefinition.isNull() ? null : (ObjectNode) serviceDefinition,
                Duration.ofSeconds(seconds),
                payload.path("rollbackOnFailure").asBoolean(true),
                payload.path("dryRun").asBoolean(false),
                AwsTaskInput.text(payload, "deploymentId"),
                List.copyOf(secretValues));
    }

    /** Fills placeholders in every string of the tree. */
    private static JsonNode fill(JsonNode node, Map<String, String> values) throws TaskFailure {
        if (node.isTextual()) {
            return TextNode.valueOf(fillText(node.asText(), values, "taskDefinition"));
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, fill(object.get(name), values));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fill(array.get(i), values));
            }
        }
        return node;
    }

    private static String fillText(String text, Map<String, String> values, String where) throws TaskFailure {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!NAME.matcher(name).matches()) {
                throw TaskFailure.task("placeholder ${" + name + "} in \"" + where + "\" is not a valid name ("
                        + NAME.pattern() + ")");
            }
            String value = values.get(name);
            if (value == null) {
                throw TaskFailure.task("\"" + where + "\" uses ${" + name + "} but \"variables." + name
                        + "\" is missing; add it to variables");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The text with every secret value replaced by {@value #MASK}. */
    String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secretValues) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** A copy of the tree with every secret value in its strings masked. */
    JsonNode mask(JsonNode node) {
        if (secretValues.isEmpty() || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(mask(node.asText()));
        }
        JsonNode copy = node.deepCopy();
        if (copy.isObject()) {
            ObjectNode object = (ObjectNode) copy;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, mask(object.get(name)));
            }
        } else if (copy.isArray()) {
            ArrayNode array = (ArrayNode) copy;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i)));
            }
        }
        return copy;
    }
}
