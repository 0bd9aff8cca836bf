package org.opendelegate.protocol;

import java.time.Instant;
import java.util.List;

/**
 * How a run of a delegate profile goes, with the output lines since the last report. Sent when the run
 * starts, about every second while it prints, and once more when it ends.
 *
 * @param delegateId the delegate id from registration
 * @param sessionId the session id from registration
 * @param profileId the profile the run applies
 * @param version the profile version the run applies
 * @param runId random id of this run; a rerun of the same version gets a new one
 * @param status how the run stands
 * @param exitCode the script's exit code once it exited by itself; null while running, after a timeout,
 *     or when it could not be started
 * @param startedAt when the run started (delegate clock)
 * @param finishedAt when it ended, or null while running
 * @param firstLine the number of output lines of this run that came before {@code lines} (0-based), so
 *     that a report sent twice adds its lines once
 * @param lines new output lines (stdout and stderr interleaved, as written)
 */
public record ProfileRunReport(
        String delegateId,
        String sessionId,
        String profileId,
        int version,
        String runId,
        ProfileRunStatus status,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        long firstLine,
        List<LogLine> lines) {}
