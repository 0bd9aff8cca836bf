package org.opendelegate.delegate.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.opendelegate.delegate.client.FailureKind;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProfileRunResponse;
import org.opendelegate.protocol.ProfileRunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the Manager how the current profile run goes: once when it starts, about every second while it
 * prints, and once at the end with the remaining output. Called by the reporting loop, which retries
 * when the Manager is unreachable; a run the Manager no longer records is dropped.
 */
public final class ProfileReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileReporter.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    static final int MAX_LINES = 500;

    private final ProfileKeeper keeper;
    private final ManagerClient client;
    private final Clock clock;

    public ProfileReporter(ProfileKeeper keeper, ManagerClient client, Clock clock) {
        this.keeper = keeper;
        this.client = client;
        this.clock = clock;
    }

    /** True while a run has something left to report, so the reporting loop stays awake. */
    public boolean busy() {
        ProfileRun run = keeper.currentRun();
        return run != null && run.hasNews();
    }

    /** Sends what is due; throws for the loop to retry. */
    public void reportDue(Session session) throws ManagerCallException {
        ProfileRun run = keeper.currentRun();
        if (run == null || !run.hasNews()) {
            return;
        }
        // The outcome is read before the output: the run adds its last lines before it sets the outcome.
        ProfileRunStatus status = run.status();
        Instant now = clock.instant();
        boolean due = status.isFinal()
                || !run.startReported()
                || (!run.output().isEmpty() && !now.isBefore(run.lastReportAt().plus(EVERY)));
        while (due && !run.isAbandoned()) {
            ProfileOutput.Batch batch = run.output().peek(MAX_LINES);
            boolean last =
                    status.isFinal() && batch.lines().size() == run.output().size();
            send(session, run, batch, last ? status : ProfileRunStatus.RUNNING, last);
            due = status.isFinal() && !last;
        }
    }

    private void send(Session session, ProfileRun run, ProfileOutput.Batch batch, ProfileRunStatus status, boolean last)
            throws ManagerCallException {
        ProfileRunReport report = new ProfileRunReport(
                session.delegateId(),
                session.sessionId(),
                run.assignment().profileId(),
                run.assignment().version(),
                run.runId(),
                status,
                last ? run.exitCode() : null,
                run.startedAt(),
                last ? run.finishedAt() : null,
                batch.firstLine(),
                batch.lines());
        try {
            ProfileRunResponse answer = client.profileRun(report);
            run.output().sent(batch);
            run.reported(clock.instant(), last);
            if (!answer.recorded()) {
                run.abandon();
                LOG.info(
                        "The Manager no longer records the run of profile {} v{} (a newer version is assigned); "
                                + "dropping its reports",
                        run.assignment().name(),
                        run.assignment().version());
            }
        } catch (ManagerCallException e) {
            if (e.kind() != FailureKind.REJECTED) {
                throw e;
            }
            run.abandon();
            LOG.error(
                    "The Manager refused the report of profile {} v{}; dropping its reports: {}",
                    run.assignment().name(),
                    run.assignment().version(),
                    e.describe());
        }
    }
}
