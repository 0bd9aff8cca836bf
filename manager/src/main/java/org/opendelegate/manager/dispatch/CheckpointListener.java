package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.opendelegate.manager.store.Task;

/**
 * Hears every checkpoint a task's current lease holder saved, after it was stored with the log lines that came
 * with it: a feature that runs as tasks (deployments) follows its work from them.
 */
@FunctionalInterface
public interface CheckpointListener {
    /** Hears nothing. */
    CheckpointListener NONE = (task, checkpoint, lastLogId, at) -> {};

    /**
     * Hears one stored checkpoint.
     *
     * @param task the task as it was before this progress call
     * @param checkpoint the checkpoint just stored
     * @param lastLogId the id of the task's newest log line once this call's lines were stored (0 for none)
     * @param at when it arrived
     */
    void saved(Task task, ObjectNode checkpoint, long lastLogId, Instant at);
}
