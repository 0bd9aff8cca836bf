package org.opendelegate.manager;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of the Manager's periodic work. Most jobs, and the task log follower, run on the background threads. A
 * housekeeping job may run for seconds (a retention look, a count of every task), so it runs on a thread of its own:
 * the jobs with time bounds (the dispatch sweep, the liveness flush) never wait behind it.
 */
final class PeriodicWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicWork.class);

    /** One job: {@code work} runs {@code every} after its last run ended. */
    record Job(String name, Runnable work, Duration every, boolean housekeeping) {
        Job(String name, Runnable work, Duration every) {
            this(name, work, every, false);
        }
    }

    private final ScheduledExecutorService background;
    private final ScheduledExecutorService housekeeping =
            Executors.newSingleThreadScheduledExecutor(daemon("manager-housekeeping"));

    PeriodicWork(int backgroundThreads) {
        this.background = Executors.newScheduledThreadPool(backgroundThreads, daemon("manager-background"));
    }

    /** The background threads, for work that schedules itself (the task log follower). */
    ScheduledExecutorService background() {
        return background;
    }

    /** Schedules the job; a run that fails is logged, and the next run comes as usual. */
    void schedule(Job job) {
        long every = job.every().toMillis();
        var unused = (job.housekeeping() ? housekeeping : background)
                .scheduleWithFixedDelay(
                        () -> {
                            try {
                                job.work().run();
                            } catch (RuntimeException e) {
                                LOG.error("The {} failed; it runs again in {} ms", job.name(), every, e);
                            }
                        },
                        every,
                        every,
                        TimeUnit.MILLISECONDS);
    }

    /** Stops every job; a run in progress is interrupted. */
    @Override
    public void close() {
        background.shutdownNow();
        housekeeping.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
