package org.opendelegate.delegate.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The body of one task thread: runs the handler and turns however it ended into an outcome. Once a
 * task was stopped (cancel, timeout, shutdown, lost lease) the stop reason decides the outcome, even
 * if the handler returned a result anyway.
 */
final class TaskExecution implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

    private final RunningTask task;
    private final TaskHandler handler;
    private final TaskRunner runner;

    TaskExecution(RunningTask task, TaskHandler handler, TaskRunner runner) {
        this.task = task;
        this.handler = handler;
        this.runner = runner;
    }

    @Override
    public void run() {
        MDC.put("delegateId", runner.delegateId());
        MDC.put("taskId", task.taskId());
        MDC.put("lease", Long.toString(task.fencingToken()));
        Clock clock = runner.clock();
        long started = clock.millis();
        // If the handler dies of an Error the thread ends without an answer; report that, not silence.
        PendingOutcome outcome = Outcomes.failed(task, ErrorKind.TASK, "the task's handler crashed");
        try {
            LOG.info(
                    "Running {} task (attempt {})",
                    task.assignment().type(),
                    task.assignment().attempt());
            outcome = execute();
        } finally {
            LOG.info(
                    "Task ended {} after {} ms{}",
                    outcome.status(),
                    clock.millis() - started,
                    outcome.error() == null ? "" : ": " + outcome.error().message());
            runner.finish(task, outcome);
            MDC.clear();
        }
    }

    private PendingOutcome execute() {
        if (task.stopReason() != null) {
            return Outcomes.stopped(task);
        }
        try {
            JsonNode result = handler.run(new HandlerContext(task, runner::wakeReporting));
            return task.stopReason() != null ? Outcomes.stopped(task) : Outcomes.succeeded(task, result);
        } catch (TaskFailure failure) {
            return task.stopReason() != null
                    ? Outcomes.stopped(task)
                    : Outcomes.failed(task, failure.kind(), Outcomes.message(failure), failure.result());
        } catch (InterruptedException e) {
            // This thread ends here; nothing above it needs the interrupt flag.
            return task.stopReason() != null
                    ? Outcomes.stopped(task)
                    : Outcomes.failed(task, ErrorKind.TASK, "the task was interrupted");
        } catch (Exception | StackOverflowError | LinkageError e) {
            if (task.stopReason() != null) {
                return Outcomes.stopped(task);
            }
            LOG.warn("The {} handler failed", task.assignment().type(), e);
            return Outcomes.failed(task, ErrorKind.TASK, Outcomes.message(e));
        }
    }
}
