package org.opendelegate.delegate.profile;

import java.time.Clock;
import java.time.Duration;
import org.opendelegate.protocol.ProfileAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the delegate's profile applied: runs the assigned version's script when the delegate starts
 * and whenever the Manager assigns another version (a heartbeat answer brings it), and holds back work
 * until the first run has ended. A run still going when a newer version arrives is killed; its result
 * no longer matters. Tasks already running are not touched by a rerun.
 */
public final class ProfileKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileKeeper.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(6);

    private final ProfileRunner runner;
    private final Clock clock;
    private ProfileAssignment current;
    private ProfileRun run;
    private boolean ready;

    public ProfileKeeper(ProfileRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * Applies what the Manager assigns now. Null means a Manager without profiles: nothing to run. The
     * same version again changes nothing; a new version without its script waits for the answer that
     * brings it.
     */
    public synchronized void assign(ProfileAssignment assignment) {
        if (assignment == null) {
            if (current == null && !ready) {
                ready = true;
                notifyAll();
            }
            return;
        }
        if (assignment.sameVersionAs(current) || assignment.script() == null) {
            return;
        }
        if (run != null && run.status().isFinal() == false) {
            run.abandon();
            LOG.info(
                    "Profile {} v{} is replaced by v{} of {} while it runs; stopping it",
                    current.name(),
                    current.version(),
                    assignment.version(),
                    assignment.name());
        }
        current = assignment;
        run = new ProfileRun(assignment, clock.instant());
        LOG.info(
                "Running profile {} v{} ({}) in {}{}",
                assignment.name(),
                assignment.version(),
                assignment.required() ? "required" : "optional",
                runner.directoryOf(assignment),
                ready ? "" : "; taking no work until it has run");
        runner.start(run, this::finished);
    }

    private synchronized void finished(ProfileRun ended) {
        if (ended != run) {
            return;
        }
        ProfileAssignment a = ended.assignment();
        long millis = java.time.Duration.between(ended.startedAt(), ended.finishedAt())
                .toMillis();
        switch (ended.status()) {
            case SUCCEEDED -> LOG.info("Profile {} v{} succeeded in {} ms", a.name(), a.version(), millis);
            case TIMED_OUT ->
                LOG.error(
                        "Profile {} v{} timed out after {} ms and was killed{}",
                        a.name(),
                        a.version(),
                        millis,
                        a.required() ? "; the Manager sends no tasks until a run succeeds" : "");
            default ->
                LOG.error(
                        "Profile {} v{} failed{} after {} ms{}",
                        a.name(),
                        a.version(),
                        ended.exitCode() == null ? "" : " with exit code " + ended.exitCode(),
                        millis,
                        a.required()
                                ? "; the Manager sends no tasks until a run succeeds (see its output in the console)"
                                : "");
        }
        if (!ready) {
            ready = true;
            notifyAll();
        }
    }

    /** True once the first assigned run has ended (or there is nothing to run). */
    public synchronized boolean isReady() {
        return ready;
    }

    /** Waits up to {@code max} for {@link #isReady()}; returns it. */
    public synchronized boolean awaitReady(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ready) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The latest run, or null before the first. */
    public synchronized ProfileRun currentRun() {
        return run;
    }

    /** Kills a run still going (shutdown); waits briefly for its processes to be gone. */
    public void stop() throws InterruptedException {
        ProfileRun running;
        synchronized (this) {
            running = run;
        }
        if (running != null && !running.status().isFinal()) {
            running.abandon();
            running.awaitEnded(STOP_WAIT);
        }
    }
}
