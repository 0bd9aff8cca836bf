package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.opendelegate.spi.LogStream;
import org.opendelegate.spi.TaskContext;

/** The {@link TaskContext} a handler sees: the assignment's input, and a log that streams to the Manager. */
final class HandlerContext implements TaskContext {
    private final RunningTask task;
    private final JsonNode payload;
    private final JsonNode secrets;

    HandlerContext(RunningTask task) {
        this.task = task;
        this.payload = objectOrEmpty(task.assignment().payload());
        this.secrets = objectOrEmpty(task.assignment().secrets());
    }

    private static JsonNode objectOrEmpty(JsonNode given) {
        return given == null || given.isNull() || given.isMissingNode() ? JsonNodeFactory.instance.objectNode() : given;
    }

    @Override
    public String taskId() {
        return task.taskId();
    }

    @Override
    public int attempt() {
        return task.assignment().attempt();
    }

    @Override
    public long fencingToken() {
        return task.fencingToken();
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
        return task.deadline();
    }

    @Override
    public void log(String line) {
        task.log().append(line);
    }

    /** Blocks while the log is full and the Manager is slow (back pressure), see {@link TaskLog}. */
    @Override
    public void log(LogStream stream, String line) {
        task.log().append(stream, line);
    }

    @Override
    public boolean isCancelled() {
        return task.stopReason() != null;
    }
}
