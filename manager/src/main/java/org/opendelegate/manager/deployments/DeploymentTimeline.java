package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/**
 * A deployment's step timeline, merged from its task's checkpoints. Steps are known by position: a checkpoint
 * lists every step so far, in the order they started, and a resumed attempt continues the same list. A step's
 * log lines are those stored between the checkpoint that started it and the one that ended it (the delegate
 * sends the lines before the checkpoint).
 */
final class DeploymentTimeline {
    private static final TypeReference<List<DeploymentStep>> STEPS = new TypeReference<>() {};
    private static final int MAX_MESSAGE = 2000;

    private DeploymentTimeline() {}

    /**
     * The timeline after one more checkpoint.
     *
     * @param lastLogId the task's newest log line id when the checkpoint arrived
     */
    static List<DeploymentStep> merge(List<DeploymentStep> known, JsonNode checkpoint, long lastLogId) {
        List<DeploymentStep> merged = new ArrayList<>(known);
        JsonNode steps = checkpoint.path("steps");
        if (!steps.isArray()) {
            return merged;
        }
        for (int i = 0; i < steps.size() && i < 50; i++) {
            JsonNode s = steps.get(i);
            String name = text(s, "name", 64);
            String state = text(s, "state", 20);
            boolean ended = state != null && !"RUNNING".equals(state);
            Instant started = instant(s, "startedAt");
            Instant endedAt = instant(s, "endedAt");
            String message = text(s, "message", MAX_MESSAGE);
            if (i < merged.size()) {
                DeploymentStep before = merged.get(i);
                Long until = before.logUntilId() != null ? before.logUntilId() : ended ? (Long) lastLogId : null;
                merged.set(
                        i,
                        new DeploymentStep(
                                name == null ? before.name() : name,
                                state == null ? before.state() : state,
                                started == null ? before.startedAt() : started,
                                endedAt,
                                message,
                                before.logAfterId(),
                                until));
            } else {
                merged.add(new DeploymentStep(
                        name, state, started, endedAt, message, lastLogId, ended ? (Long) lastLogId : null));
            }
        }
        return merged;
    }

    /**
     * The timeline of a deployment that ended: a step still running when the task ended did not finish; its log
     * runs to the task's last line.
     */
    static List<DeploymentStep> close(
            List<DeploymentStep> known, boolean succeeded, String why, long lastLogId, Instant at) {
        List<DeploymentStep> closed = new ArrayList<>();
        for (DeploymentStep s : known) {
            if ("RUNNING".equals(s.state())) {
                closed.add(new DeploymentStep(
                        s.name(),
                        succeeded ? "SUCCEEDED" : "FAILED",
                        s.startedAt(),
                        at,
                        succeeded ? s.message() : why,
                        s.logAfterId(),
                        lastLogId));
            } else if (s.logUntilId() == null) {
                closed.add(new DeploymentStep(
                        s.name(), s.state(), s.startedAt(), s.endedAt(), s.message(), s.logAfterId(), lastLogId));
            } else {
                closed.add(s);
            }
        }
        return closed;
    }

    static List<DeploymentStep> read(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return ProtocolJson.mapper().readValue(json, STEPS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored deployment steps are not JSON: " + e.getOriginalMessage());
        }
    }

    static String write(List<DeploymentStep> steps) {
        try {
            return ProtocolJson.mapper().writeValueAsString(steps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field, int max) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            return null;
        }
        String s = v.asText();
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
