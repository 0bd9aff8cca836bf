package org.opendelegate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** What a {@link TaskHandler} knows about the task it runs. */
public interface TaskContext {

    /** The task id. */
    String taskId();

    /** The attempt number, from 1. */
    int attempt();

    /**
     * The fencing token of this lease. A handler that changes outside systems can pass it along (for
     * example as a condition or a tag) so that a stale attempt cannot overwrite a newer one.
     */
    long fencingToken();

    /** The task's JSON input; never null (an empty object when the task has none). */
    JsonNode payload();

    /**
     * Values the task needs but nobody may see, e.g. an AWS secret access key: a JSON object, empty when the
     * task has none. The Manager stores them encrypted and sends them only inside the assignment. A handler
     * must never log them, put them in its result, or echo them in an error message.
     */
    default JsonNode secrets() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /** When the task times out. */
    Instant deadline();

    /** Appends a line to the task's log, which the Manager shows while the task runs. */
    void log(String line);

    /**
     * Appends a line that a task's own process wrote to one of its outputs; the Manager shows which. The line
     * must already be masked: a handler that knows secrets masks them before it calls this. The call may
     * block for a while when the Manager is slower than the process writes (back pressure), rather than drop
     * lines.
     */
    default void log(LogStream stream, String line) {
        log(line);
    }

    /**
     * The latest state an earlier attempt of this task saved with {@link #saveCheckpoint}, or an empty object
     * when there is none (the first attempt, or no attempt saved one). A handler of long work that changes
     * outside systems resumes from it instead of starting over.
     */
    default JsonNode checkpoint() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /**
     * Saves the handler's state at the Manager, synchronously, after the log lines written so far, and so also
     * confirms that this attempt still holds the task's lease. Call it before every change to an outside
     * system, recording what is about to be done, so that a later attempt can check whether it happened. The
     * state is a JSON object of at most 64 KiB; the next attempt reads it from {@link #checkpoint()}.
     *
     * @throws InterruptedException when this attempt no longer holds the lease (taken over by another
     *     delegate, cancelled, timed out) or the delegate is stopping: the handler must make no further change
     *     and return
     * @throws TaskFailure when the Manager cannot be reached to confirm the lease; make no change then either
     */
    default void saveCheckpoint(JsonNode state) throws TaskFailure, InterruptedException {
        throw new UnsupportedOperationException("this delegate cannot save checkpoints");
    }

    /** True once the task was cancelled, timed out, or its lease was lost. */
    boolean isCancelled();
}
