package org.opendelegate.delegate.script;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opendelegate.delegate.process.ProcessGroup;
import org.opendelegate.spi.LogStream;
import org.opendelegate.spi.TaskContext;

/**
 * One running script: its process group and the two threads that read its output. Waits for the script to
 * end; when the task's thread is interrupted (cancel, timeout, lost lease, shutdown) it sends SIGTERM to the
 * group, gives the script its grace period, then SIGKILL, and says so in the task log. Once the script ended,
 * whatever it left running in its group is killed too.
 */
final class ScriptRun {
    /** How long to wait for the output threads once the group is gone. */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final Process process;
    private final Thread stdout;
    private final Thread stderr;
    private final TaskContext context;
    private final Clock clock;

    private ScriptRun(Process process, Thread stdout, Thread stderr, TaskContext context, Clock clock) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.context = context;
        this.clock = clock;
    }

    static ScriptRun start(
            ProcessBuilder builder, TaskContext context, SecretMasker masker, LastLines last, Clock clock)
            throws IOException {
        Process process = builder.start();
        Thread out = pump(process, LogStream.STDOUT, masker, context, last);
        Thread err = pump(process, LogStream.STDERR, masker, context, last);
        return new ScriptRun(process, out, err, context, clock);
    }

    private static Thread pump(
            Process process, LogStream stream, SecretMasker masker, TaskContext context, LastLines last) {
        var in = stream == LogStream.STDOUT ? process.getInputStream() : process.getErrorStream();
        Thread thread = new Thread(
                new OutputPump(in, stream, masker, context, last),
                "task-" + context.taskId() + "-" + stream.name().toLowerCase(java.util.Locale.ROOT));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * The script's exit code, once it ended and its output was read.
     *
     * @throws InterruptedException when the task was stopped; the script's group is gone by then
     */
    int await(Duration grace) throws InterruptedException {
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            stop(grace);
            throw e;
        }
        uninterruptibly(() -> {
            ProcessGroup.killLeftovers(process);
            drain();
            return null;
        });
        return code;
    }

    private void stop(Duration grace) {
        String why = clock.instant().isBefore(context.deadline()) ? "cancelled" : "timed out";
        context.log("[delegate] " + why + ": sent SIGTERM to the script's process group; it has " + grace.toSeconds()
                + " s to stop before SIGKILL");
        List<ProcessHandle> family = uninterruptibly(() -> ProcessGroup.terminate(process));
        if (!exitedWithin(grace)) {
            context.log("[delegate] still running after " + grace.toSeconds()
                    + " s: sent SIGKILL to the script's process group");
        }
        uninterruptibly(() -> {
            ProcessGroup.forceKill(process, family);
            return null;
        });
        uninterruptibly(() -> {
            drain();
            return null;
        });
    }

    /** Waits for the output threads; a process that left the group may hold a pipe open, so not forever. */
    private void drain() throws InterruptedException {
        stdout.join(DRAIN.toMillis());
        stderr.join(DRAIN.toMillis());
        if (stdout.isAlive() || stderr.isAlive()) {
            context.log("[delegate] a process outside the script's group still holds its output open;"
                    + " the rest of its output is not logged");
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException e) {
            // Already closed: nothing more to read either way.
        }
    }

    /** Waits for the script's exit through the whole grace period, even when interrupted again meanwhile. */
    private boolean exitedWithin(Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        while (true) {
            try {
                return process.waitFor(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException again) {
                // Already stopping (a lost lease after a cancel, say): the grace period still holds.
            }
        }
    }

    private interface Step<T> {
        T run() throws InterruptedException;
    }

    /** Runs a step of the stop to its end: a second interrupt must not leave the group half-killed. */
    private static <T> T uninterruptibly(Step<T> step) {
        while (true) {
            try {
                return step.run();
            } catch (InterruptedException again) {
                // Retry: signalling a group twice is harmless, leaving it running is not.
            }
        }
    }
}
