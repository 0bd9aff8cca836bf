package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;
import org.opendelegate.protocol.ProtocolJson;

/** How an ended task is told: a line and its outputs for people, one JSON document for machines. */
final class TaskSummary {
    private final JsonNode task;

    TaskSummary(JsonNode task) {
        this.task = task;
    }

    /**
     * @param json print the JSON document on {@code out}; otherwise the text goes to {@code err}, so standard
     *     output keeps only what the script itself printed
     */
    void print(boolean json, PrintStream out, PrintStream err) {
        if (json) {
            out.println(document().toString());
            return;
        }
        StringBuilder line = new StringBuilder("opendelegate: task ")
                .append(task.path("id").asText())
                .append(' ')
                .append(task.path("state").asText());
        String delegate = task.path("delegateName").asText("");
        if (!delegate.isBlank()) {
            line.append(" on ").append(delegate);
        }
        JsonNode exitCode = task.path("result").path("exitCode");
        if (exitCode.isInt()) {
            line.append(", exit code ").append(exitCode.asInt());
        }
        String error = task.path("error").path("message").asText("");
        if (!error.isBlank()) {
            line.append(": ").append(error);
        }
        err.println(line);
        JsonNode outputs = task.path("result").path("outputs");
        if (outputs.isObject() && !outputs.isEmpty()) {
            err.println("outputs:");
            for (Map.Entry<String, JsonNode> output : outputs.properties()) {
                err.println("  " + output.getKey() + "=" + output.getValue().asText());
            }
        }
    }

    /** The stable machine form: what a pipeline reads with jq. */
    ObjectNode document() {
        ObjectNode doc = ProtocolJson.mapper().createObjectNode();
        doc.put("taskId", task.path("id").asText());
        doc.put("state", task.path("state").asText());
        JsonNode result = task.path("result");
        doc.set("exitCode", result.path("exitCode").isInt() ? result.get("exitCode") : null);
        doc.set("outputs", result.path("outputs").isObject() ? result.get("outputs") : doc.objectNode());
        doc.set("durationMillis", result.path("durationMillis").isNumber() ? result.get("durationMillis") : null);
        doc.put("delegateName", task.path("delegateName").asText(null));
        doc.put("error", task.path("error").path("message").asText(null));
        doc.put("exitStatus", ExitCodes.of(task));
        return doc;
    }
}
