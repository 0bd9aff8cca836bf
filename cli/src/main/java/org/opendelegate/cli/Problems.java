package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.opendelegate.protocol.ProtocolJson;

/** Turns the Manager's problem+json answers into one message a person can act on. */
final class Problems {
    private Problems() {}

    static String describe(int status, String body) {
        JsonNode problem;
        try {
            problem = ProtocolJson.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            problem = null;
        }
        if (problem == null || !problem.isObject()) {
            return "the Manager answered " + status + (status == 401 ? ": check OPENDELEGATE_API_KEY" : "");
        }
        StringBuilder message = new StringBuilder();
        message.append(problem.path("title").asText("Refused"))
                .append(" (")
                .append(status)
                .append(')');
        String detail = problem.path("detail").asText("");
        if (!detail.isBlank()) {
            message.append(": ").append(detail);
        }
        for (JsonNode error : problem.path("errors")) {
            message.append(System.lineSeparator())
                    .append("  ")
                    .append(error.path("field").asText("?"))
                    .append(": ")
                    .append(error.path("message").asText(""));
        }
        return message.toString();
    }
}
