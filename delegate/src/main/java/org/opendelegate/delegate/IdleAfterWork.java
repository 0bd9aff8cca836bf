package org.opendelegate.delegate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.opendelegate.delegate.aws.AwsRuntime;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives memory back once the delegate's work is over. Every handler is wrapped so that this class knows
 * when tasks run; once none has run for {@link #QUIET} it lets go of the AWS SDK ({@link AwsRuntime#unload})
 * and collects once. That full collection unloads the SDK's classes and, with the free-heap ratios the
 * installers set, shrinks the heap the work grew; without it an idle delegate keeps both, since a
 * heartbeat every 10 s allocates too little to ever trigger a full collection. A task that starts during
 * the quiet period postpones the collection until the delegate is quiet again.
 */
final class IdleAfterWork {
    /** How long the delegate must have run no task before it collects: longer than a pause between lookups. */
    static final Duration QUIET = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IdleAfterWork.class);

    private final AwsRuntime aws;
    private final Duration quiet;
    private final Runnable collect;
    private final ScheduledThreadPoolExecutor timer;
    private int running;
    private long started;
    private ScheduledFuture<?> check;

    IdleAfterWork(AwsRuntime aws) {
        this(aws, QUIET, System::gc);
    }

    IdleAfterWork(AwsRuntime aws, Duration quiet, Runnable collect) {
        this.aws = aws;
        this.quiet = quiet;
        this.collect = collect;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "idle-after-work");
            thread.setDaemon(true);
            thread.setContextClassLoader(IdleAfterWork.class.getClassLoader());
            return thread;
        });
        // No thread while there is nothing to wait for: an idle delegate keeps its thread count.
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    /** The handlers, each telling this class when its tasks start and end. */
    List<TaskHandler> watch(List<TaskHandler> handlers) {
        return handlers.stream()
                .map(handler -> (TaskHandler) new Watched(handler))
                .toList();
    }

    private synchronized void taskStarted() {
        running++;
        started++;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private synchronized void taskEnded() {
        running--;
        if (running == 0) {
            long startedSoFar = started;
            check = timer.schedule(() -> settleIfQuiet(startedSoFar), quiet.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** How many tasks have started so far. */
    synchronized long tasksStarted() {
        return started;
    }

    /** Collects if no task started since the one whose end scheduled this check. */
    void settleIfQuiet(long startedThen) {
        synchronized (this) {
            if (running > 0 || started != startedThen) {
                return;
            }
        }
        boolean unloaded = aws.unload();
        collect.run();
        LOG.debug("No task for {} s: collected{}", quiet.toSeconds(), unloaded ? ", AWS SDK unloaded" : "");
    }

    private final class Watched implements TaskHandler {
        private final TaskHandler handler;

        Watched(TaskHandler handler) {
            this.handler = handler;
        }

        @Override
        public String type() {
            return handler.type();
        }

        @Override
        public JsonNode run(TaskContext context) throws Exception {
            taskStarted();
            try {
                return handler.run(context);
            } finally {
                taskEnded();
            }
        }

        @Override
        public Duration stopGrace(JsonNode payload) {
            return handler.stopGrace(payload);
        }
    }
}
