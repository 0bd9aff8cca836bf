package org.opendelegate.delegate.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.spi.LogStream;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;

/** The {@link TaskContext} a handler sees: the assignment's input, and a log that streams to the Manager. */
final class HandlerContext implements TaskContext {
    /** The lease the Manager gives when an assignment does not say. */
    private static final long DEFAULT_LEASE_MILLIS = 60_000;

    private final RunningTask task;
    private final JsonNode payload;
    private final JsonNode secrets;
    private final JsonNode checkpoint;
    private final Runnable wakeReporting;

    /** @param wakeReporting wakes the reporting loop, which sends a checkpoint the handler asked to save */
    HandlerContext(RunningTask task, Runnable wakeReporting) {
        this.task = task;
        this.payload = objectOrEmpty(task.assignment().payload());
        this.secrets = objectOrEmpty(task.assignment().secrets());
        this.checkpoint = objectOrEmpty(task.assignment().checkpoint());
        this.wakeReporting = wakeReporting;
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
    public JsonNode checkpoint() {
        return checkpoint.deepCopy();
    }

    /**
     * Hands the state to the reporting loop, which first sends the log lines written so far and then the state
     * in a progress call of its own, retrying as it retries every call; waits for the answer at most half the
     * lease, since a lease not renewed for longer may be gone anyway.
     */
    @Override
    public void saveCheckpoint(JsonNode state) throws TaskFailure, InterruptedException {
        if (state == null || !state.isObject()) {
            throw new IllegalArgumentException("a checkpoint is a JSON object");
        }
        int size;
        try {
            size = ProtocolJson.mapper().writeValueAsBytes(state).length;
        } catch (JsonProcessingException e) {
            throw TaskFailure.task("the task's checkpoint cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        if (size > TaskProgress.MAX_CHECKPOINT_BYTES) {
            throw TaskFailure.task("the task's checkpoint takes " + size + " bytes, more than the "
                    + TaskProgress.MAX_CHECKPOINT_BYTES + " the Manager keeps");
        }
        if (task.stopReason() != null) {
            throw new InterruptedException("the task was stopped (" + task.stopReason() + ")");
        }
        PendingCheckpoint pending = task.requestCheckpoint(state.deepCopy());
        wakeReporting.run();
        try {
            if (!pending.await(patience())) {
                throw TaskFailure.capability("the Manager could not be reached to save the task's checkpoint"
                        + " within " + patience().toSeconds() + " s; nothing more was changed");
            }
        } finally {
            task.checkpointDone(pending);
        }
        if (task.stopReason() != null) {
            throw new InterruptedException("the task was stopped (" + task.stopReason() + ")");
        }
    }

    private Duration patience() {
        long lease = task.leaseMillis() > 0 ? task.leaseMillis() : DEFAULT_LEASE_MILLIS;
        return Duration.ofMillis(Math.max(1_000, lease / 2));
    }

    @Override
    public boolean isCancelled() {
        return task.stopReason() != null;
    }
}
