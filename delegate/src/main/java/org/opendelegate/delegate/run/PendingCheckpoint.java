package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opendelegate.spi.TaskFailure;

/**
 * A checkpoint a handler asked to save: its thread waits while the reporting loop flushes the task's log and
 * sends the checkpoint in a progress call, then learns how that went.
 */
public final class PendingCheckpoint {
    private final JsonNode state;
    private final CompletableFuture<Void> answer = new CompletableFuture<>();

    PendingCheckpoint(JsonNode state) {
        this.state = state;
    }

    /** The state to send. */
    public JsonNode state() {
        return state;
    }

    /** The Manager stored it: the lease is still this attempt's. */
    public void saved() {
        answer.complete(null);
    }

    /** The lease is gone (taken over, cancelled, timed out): the handler must change nothing more. */
    public void leaseGone(String why) {
        answer.completeExceptionally(new InterruptedException(why));
    }

    /** The Manager refused it for good (e.g. too large): the handler fails. */
    public void refused(String why) {
        answer.completeExceptionally(TaskFailure.task("the Manager refused to save the task's checkpoint: " + why));
    }

    /**
     * Waits for the answer at most {@code patience}.
     *
     * @return false when no answer came in time
     */
    boolean await(Duration patience) throws TaskFailure, InterruptedException {
        try {
            answer.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (e.getCause() instanceof TaskFailure failure) {
                throw failure;
            }
            throw TaskFailure.task("saving the checkpoint failed: " + e.getCause(), e.getCause());
        }
    }
}
