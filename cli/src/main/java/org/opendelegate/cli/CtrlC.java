package org.opendelegate.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (or SIGTERM from a CI runner) while a task runs: cancel the task, keep printing its log until it
 * has stopped (the delegate gives the script its grace period), then exit with the task's code. Built on a
 * shutdown hook, the one portable way to see the signal; the hook waits for the main thread, which keeps
 * following the log, and ends the process itself.
 */
final class CtrlC {
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int INTERRUPTED = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode = ExitCodes.CANCELLED;

    /**
     * Arms the hook.
     *
     * @param cancel what to do on Ctrl-C (ask the Manager to cancel the task)
     * @param wait how long to wait, after asking, for the task to stop
     */
    void arm(Runnable cancel, Duration wait) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!state.compareAndSet(RUNNING, INTERRUPTED)) {
                                return;
                            }
                            try {
                                cancel.run();
                                if (!stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                                    System.err.println("opendelegate: the task has not stopped after "
                                            + wait.toSeconds() + " s; leaving it to the Manager");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                System.err.println("opendelegate: could not cancel the task: " + e.getMessage());
                            }
                            System.out.flush();
                            System.err.flush();
                            Runtime.getRuntime().halt(exitCode);
                        },
                        "ctrl-c"));
    }

    /**
     * The task ended. Returns normally when nobody pressed Ctrl-C (the caller exits as usual); otherwise hands
     * the code to the hook, which ends the process, and never returns.
     */
    void finished(int code) throws InterruptedException {
        if (state.compareAndSet(RUNNING, FINISHED)) {
            return;
        }
        exitCode = code;
        stopped.countDown();
        new CountDownLatch(1).await();
    }
}
