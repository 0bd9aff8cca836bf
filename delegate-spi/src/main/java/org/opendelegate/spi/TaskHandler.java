package org.opendelegate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Runs one type of task on a delegate. This is the delegate's one extension point: built-in handlers
 * ({@code echo}, {@code sleep}) and the AWS handlers implement it, and the delegate's composition root
 * lists them explicitly.
 *
 * <p>A handler runs on a thread of its own. It must stop promptly when the thread is interrupted (the
 * task was cancelled, timed out, or its lease was lost) and should check {@link TaskContext#isCancelled()}
 * between steps of long work.
 */
public interface TaskHandler {

    /** The task type this handler runs, e.g. {@code echo}. */
    String type();

    /**
     * Runs the task and returns its JSON result.
     *
     * @param context the task's input, its fencing token, and a way to log
     * @return the result, or null for none
     * @throws TaskFailure when the task failed in a way the handler understands
     * @throws InterruptedException when the task was interrupted (cancelled or timed out)
     * @throws Exception any other failure; reported as a task failure with its message
     */
    JsonNode run(TaskContext context) throws Exception;

    /**
     * How long this handler may take to stop once its thread is interrupted, for a task with this payload: a
     * script's grace period between SIGTERM and SIGKILL. The delegate waits this long (plus a little) for the
     * handler to return before it gives up on it at shutdown. Most handlers stop at once.
     */
    default Duration stopGrace(JsonNode payload) {
        return Duration.ZERO;
    }
}
