package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.OutcomeStatus;
import org.opendelegate.protocol.TaskError;

/**
 * How a task ended, waiting in the {@link Outbox} until the Manager accepts it. The session is filled
 * in when it is sent, so an outcome survives a re-registration; the fencing token is what the Manager
 * checks.
 *
 * @param task the task, with the log lines still to flush before the outcome
 * @param status how it ended
 * @param result the result when it succeeded, or what a failed task still reported (a script's exit code
 *     and outputs), else null
 * @param error the failure otherwise, else null
 */
public record PendingOutcome(RunningTask task, OutcomeStatus status, JsonNode result, TaskError error) {

    /** The task id. */
    public String taskId() {
        return task.taskId();
    }
}
