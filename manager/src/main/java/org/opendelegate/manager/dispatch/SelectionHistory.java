package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The selection logs of one task, newest last, as stored in the task row. Only the last few decisions
 * are kept: enough to explain every attempt of a task with a handful of retries.
 */
final class SelectionHistory {
    static final int KEEP = 10;
    private static final TypeReference<List<SelectionLog>> LIST = new TypeReference<>() {};

    private SelectionHistory() {}

    static List<SelectionLog> read(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return ProtocolJson.tolerantReader().forType(LIST).readValue(json);
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
        try {
            return ProtocolJson.mapper().writeValueAsString(logs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a selection log is always serialisable", e);
        }
    }
}
