package org.opendelegate.delegate.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts tasks that run past their timeout. One timer thread for all tasks, started on the first
 * timeout and gone again a few seconds after the last one, so an idle delegate has no timer thread.
 */
final class TaskTimeouts {
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

    TaskTimeouts() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "task-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    void schedule(RunningTask task, Runnable onTimeout) {
        long millis = task.assignment().timeoutMillis();
        if (millis > 0) {
            scheduled.put(task.taskId(), timer.schedule(onTimeout, millis, TimeUnit.MILLISECONDS));
        }
    }

    void cancel(RunningTask task) {
        ScheduledFuture<?> future = scheduled.remove(task.taskId());
        if (future != null) {
            future.cancel(false);
        }
    }
}
