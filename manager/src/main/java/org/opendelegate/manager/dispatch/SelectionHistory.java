package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The selection logs of one task, newest last, as stored in the task row. Only the last few decisions
 * are kept: enough to explain every attempt of a task with a handful of retries, and never more than
 * {@link #MAX_CHARS} characters, so the history always fits its column ({@code task.selection_log},
 * 100,000 characters) whatever the fleet, names and messages.
 */
final class SelectionHistory {
    static final int KEEP = 10;
    /** The most characters a stored history takes; older decisions give way first. */
    static final int MAX_CHARS = 60_000;

    // Logs stored before the counts existed have no `considered` nor `eligibleCount`: read as 0. Built once: an
    // ObjectReader is immutable and thread-safe, and building one per read cost as much as the read.
    private static final ObjectReader READER = ProtocolJson.tolerantReader()
            .forType(new TypeReference<List<SelectionLog>>() {})
            .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private SelectionHistory() {}

    static List<SelectionLog> read(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored selection log is not readable", e);
        }
    }

    static String append(String json, SelectionLog log) {
        List<SelectionLog> logs = new ArrayList<>(read(json));
        SelectionLog last = logs.isEmpty() ? null : logs.get(logs.size() - 1);
        if (last != null
                && last.chosen() == null
                && log.chosen() == null
                && last.summary().equals(log.summary())
                && last.trigger().equals(log.trigger())) {
            logs.remove(logs.size() - 1);
        }
        logs.add(log);
        while (logs.size() > KEEP) {
            logs.remove(0);
        }
        String text = write(logs);
        while (text.length() > MAX_CHARS && logs.size() > 1) {
            logs.remove(0);
            text = write(logs);
        }
        if (text.length() > MAX_CHARS) {
            // One decision alone too long (very long names or messages): keep its counts and summary and
            // only the first candidate, the chosen one when there is one.
            text = write(List.of(trimmed(log)));
        }
        return text;
    }

    private static SelectionLog trimmed(SelectionLog log) {
        return new SelectionLog(
                log.at(),
                log.trigger(),
                log.candidates().isEmpty()
                        ? List.of()
                        : List.of(log.candidates().get(0)),
                log.chosen(),
                log.summary(),
                log.considered(),
                log.eligibleCount(),
                log.excluded());
    }

    private static String write(List<SelectionLog> logs) {
        try {
            return ProtocolJson.mapper().writeValueAsString(logs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a selection log is always serialisable", e);
        }
    }
}
