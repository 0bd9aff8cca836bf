package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * ECS inputs and outputs as the JSON AWS takes ({@code --cli-input-json}: camelCase names): a request built
 * from such JSON, and any SDK object written as it. One way both directions, so a task definition a user
 * wrote and one ECS describes compare field by field.
 */
final class SdkJson {
    private static final ObjectMapper STRICT =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private SdkJson() {}

    /**
     * Builds a request from AWS's JSON, naming the field it cannot take.
     *
     * @param builderClass the request's {@code serializableBuilderClass()}
     * @param field the payload field the JSON came from, for messages
     */
    static <B> B read(JsonNode json, Class<? extends B> builderClass, String field) throws TaskFailure {
        try {
            return STRICT.treeToValue(json, builderClass);
        } catch (Exception e) {
            String why = e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("");
            throw TaskFailure.task("\"" + field + "\" is not valid input for AWS: "
                    + why.replaceAll("\\(class [^)]*\\)", "").trim());
        }
    }

    /** The object as AWS's JSON; fields without a value are left out. */
    static ObjectNode write(SdkPojo pojo) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            JsonNode written = value(value);
            if (written != null) {
                node.set(field.locationName(), written);
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return null;
        }
        if (value instanceof SdkPojo pojo) {
            return write(pojo);
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = f.arrayNode();
            list.forEach(v -> array.add(value(v) == null ? f.nullNode() : value(v)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = f.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
            return object;
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Double d) {
            return f.numberNode(d);
        }
        if (value instanceof Instant t) {
            return f.textNode(t.toString());
        }
        if (value instanceof SdkBytes) {
            return null;
        }
        return f.textNode(String.valueOf(value));
    }
}
