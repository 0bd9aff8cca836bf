package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.OutcomeStatus;
import org.opendelegate.protocol.TaskError;

/** The outcome for each way a task can end, with messages a person can act on. */
final class Outcomes {
    static final String SHUT_DOWN = "delegate shut down before the task finished";

    private Outcomes() {}

    static PendingOutcome succeeded(RunningTask task, JsonNode result) {
        return new PendingOutcome(task, OutcomeStatus.SUCCEEDED, result, null);
    }

    static PendingOutcome failed(RunningTask task, ErrorKind kind, String message) {
        return failed(task, kind, message, null);
    }

    /** A failure that still reports what the work did (a script's exit code and outputs), or null. */
    static PendingOutcome failed(RunningTask task, ErrorKind kind, String message, JsonNode result) {
        return new PendingOutcome(task, OutcomeStatus.FAILED, result, new TaskError(kind, message));
    }

    static PendingOutcome stopped(RunningTask task) {
        StopReason reason = task.stopReason();
        if (reason == StopReason.CANCELLED) {
            return new PendingOutcome(
                    task, OutcomeStatus.CANCELLED, null, new TaskError(ErrorKind.TASK, "the task was cancelled"));
        }
        if (reason == StopReason.TIMED_OUT) {
            Duration limit = Duration.ofMillis(task.assignment().timeoutMillis());
            return new PendingOutcome(
                    task,
                    OutcomeStatus.TIMED_OUT,
                    null,
                    new TaskError(ErrorKind.TASK, "the task did not finish within its timeout of " + human(limit)));
        }
        // SHUTDOWN, and LEASE_LOST (whose outcome the runner drops): another delegate may run it.
        return failed(task, ErrorKind.CAPABILITY, SHUT_DOWN);
    }

    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
