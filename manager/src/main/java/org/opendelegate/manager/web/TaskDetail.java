package org.opendelegate.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.ProtocolJson;

/**
 * One task as its page shows it, from the same {@link TaskView} as {@code GET /api/v1/tasks/{id}}. Every
 * string may come from a user or a delegate and is untrusted; the templates escape all of it.
 *
 * @param canCancel the signed-in user may cancel it now (an admin or operator, and the task has not ended)
 */
public record TaskDetail(
        TaskView task,
        String shortId,
        String delegate,
        String created,
        String createdExact,
        String started,
        String startedExact,
        String finished,
        String finishedExact,
        String duration,
        String waited,
        List<Map.Entry<String, String>> scope,
        String resultJson,
        String payloadJson,
        List<AttemptRow> attempts,
        SelectionView selection,
        boolean canCancel) {
    /** Beyond this, JSON is cut on the page; the API has all of it. */
    static final int MAX_JSON = 100_000;

    /** One attempt as a row. */
    public record AttemptRow(
            int attempt,
            String delegate,
            long fencingToken,
            String started,
            String startedExact,
            String ended,
            String endedExact,
            String took,
            String outcome,
            String detail) {}

    static TaskDetail of(TaskView t, SignedIn user, Instant now) {
        String delegate = t.delegateName() != null ? t.delegateName() : t.delegateId();
        List<AttemptRow> attempts = t.attempts() == null
                ? List.of()
                : t.attempts().stream()
                        .map(a -> new AttemptRow(
                                a.attempt(),
                                a.delegateName() != null ? a.delegateName() : a.delegateId(),
                                a.fencingToken(),
                                Ago.of(a.startedAt(), now),
                                Ago.exact(a.startedAt()),
                                a.endedAt() == null ? "—" : Ago.of(a.endedAt(), now),
                                Ago.exact(a.endedAt()),
                                Ago.between(a.startedAt(), a.endedAt(), now),
                                a.outcome(),
                                a.detail()))
                        .toList();
        Instant waitEnd = t.startedAt() != null ? t.startedAt() : t.finishedAt();
        boolean active = TaskStates.isActive(t.state());
        return new TaskDetail(
                t,
                TaskList.shortId(t.id()),
                delegate,
                Ago.of(t.createdAt(), now),
                Ago.exact(t.createdAt()),
                t.startedAt() == null ? "—" : Ago.of(t.startedAt(), now),
                Ago.exact(t.startedAt()),
                t.finishedAt() == null ? "—" : Ago.of(t.finishedAt(), now),
                Ago.exact(t.finishedAt()),
                Ago.between(t.startedAt(), t.finishedAt(), now),
                Ago.between(t.createdAt(), waitEnd, now),
                t.scope() == null ? List.of() : List.copyOf(new java.util.TreeMap<>(t.scope()).entrySet()),
                t.result() == null || t.result().isNull() ? null : pretty(t.result()),
                pretty(t.payload()),
                attempts,
                SelectionView.of(t, now),
                user.canRunTasks() && active && !t.cancelRequested());
    }

    /** A script's exit code (kept on a failed script too), or null when the result has none. */
    public Integer exitCode() {
        JsonNode r = task.result();
        return r != null && r.path("exitCode").isInt() ? r.get("exitCode").asInt() : null;
    }

    /** A script's outputs ({@code NAME=value} lines it wrote to {@code $OPENDELEGATE_OUTPUT}), sorted by name. */
    public List<Map.Entry<String, String>> outputs() {
        JsonNode outputs = task.result() == null ? null : task.result().get("outputs");
        if (outputs == null || !outputs.isObject()) {
            return List.of();
        }
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        outputs.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return List.copyOf(sorted.entrySet());
    }

    /** The task's whole time budget, e.g. "10 min". */
    public String timeout() {
        return Ago.duration(java.time.Duration.ofSeconds(task.timeoutSeconds()));
    }

    public boolean active() {
        return TaskStates.isActive(task.state());
    }

    /** "Not assigned", "Timed out", ...; for a failure also what kind: "Failed · Capability error". */
    public String errorTitle() {
        boolean failed = "FAILED".equals(task.state());
        String kind = !failed || task.error() == null || task.error().kind() == null
                ? ""
                : " · " + TaskStates.label(task.error().kind()) + " error";
        return TaskStates.label(task.state()) + kind;
    }

    static String pretty(JsonNode json) {
        if (json == null) {
            return "{}";
        }
        try {
            String text = ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
            return text.length() <= MAX_JSON
                    ? text
                    : text.substring(0, MAX_JSON) + "\n… (cut at " + MAX_JSON
                            + " characters; the API returns all of it)";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always serialisable", e);
        }
    }
}
