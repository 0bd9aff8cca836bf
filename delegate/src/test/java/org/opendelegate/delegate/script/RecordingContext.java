package org.opendelegate.delegate.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.opendelegate.spi.LogStream;
import org.opendelegate.spi.TaskContext;

/** A task context that records every log line, with its stream ("out", "err" or "delegate"). */
final class RecordingContext implements TaskContext {
    private final JsonNode payload;
    private final JsonNode secrets;
    private final Instant deadline;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    RecordingContext(JsonNode payload, JsonNode secrets, Instant deadline) {
        this.payload = payload;
        this.secrets = secrets;
        this.deadline = deadline;
    }

    RecordingContext(JsonNode payload) {
        this(payload, JsonNodeFactory.instance.objectNode(), Instant.MAX);
    }

    @Override
    public String taskId() {
        return "task-1";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public long fencingToken() {
        return 1;
    }

    @Override
    public JsonNode payload() {
        return payload;
    }

    @Override
    public JsonNode secrets() {
        return secrets;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void log(String line) {
        lines.add("delegate: " + line);
    }

    @Override
    public void log(LogStream stream, String line) {
        lines.add((stream == LogStream.STDOUT ? "out: " : "err: ") + line);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    List<String> of(String prefix) {
        return snapshot().stream()
                .filter(l -> l.startsWith(prefix + ": "))
                .map(l -> l.substring(prefix.length() + 2))
                .toList();
    }
}
