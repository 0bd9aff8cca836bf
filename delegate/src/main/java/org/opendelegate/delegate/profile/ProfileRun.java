package org.opendelegate.delegate.profile;

import java.time.Instant;
import java.util.UUID;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.ProfileRunStatus;

/**
 * One run of a profile's script: what it applies, how it stands, its output waiting to be reported, and
 * how far reporting got. The run's thread sets the outcome; the reporting loop reads it.
 */
public final class ProfileRun {
    private final String runId = UUID.randomUUID().toString();
    private final ProfileAssignment assignment;
    private final Instant startedAt;
    private final ProfileOutput output = new ProfileOutput();
    private volatile ProfileRunStatus status = ProfileRunStatus.RUNNING;
    private volatile Integer exitCode;
    private volatile Instant finishedAt;
    private volatile boolean abandoned;
    private volatile boolean startReported;
    private volatile boolean finalReported;
    private volatile Instant lastReportAt;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    ProfileRun(ProfileAssignment assignment, Instant startedAt) {
        this.assignment = assignment;
        this.startedAt = startedAt;
        this.lastReportAt = startedAt;
    }

    public String runId() {
        return runId;
    }

    public ProfileAssignment assignment() {
        return assignment;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public ProfileRunStatus status() {
        return status;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    ProfileOutput output() {
        return output;
    }

    /** Sets the outcome; called once, after the last output line was added. */
    void finish(ProfileRunStatus outcome, Integer code, Instant at) {
        exitCode = code;
        finishedAt = at;
        status = outcome;
    }

    /** Marks the run's thread as gone (or that it never needed one). */
    void ended() {
        ended.countDown();
    }

    /** Waits until the run's thread is gone; true when it is. */
    boolean awaitEnded(java.time.Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A newer assignment replaced this run, or the Manager no longer wants its reports. */
    boolean isAbandoned() {
        return abandoned;
    }

    void abandon() {
        abandoned = true;
    }

    /** True while something about this run is still to be told to the Manager. */
    boolean hasNews() {
        return !abandoned && !finalReported;
    }

    boolean startReported() {
        return startReported;
    }

    Instant lastReportAt() {
        return lastReportAt;
    }

    void reported(Instant at, boolean last) {
        startReported = true;
        lastReportAt = at;
        if (last) {
            finalReported = true;
        }
    }
}
