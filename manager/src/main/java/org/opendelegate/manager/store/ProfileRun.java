package org.opendelegate.manager.store;

import java.time.Instant;
import org.opendelegate.protocol.ProfileRunStatus;

/**
 * The last profile run a delegate reported, without its output (see {@link ProfileRunDao#output}).
 *
 * @param profileName the profile's name when the run was reported
 * @param exitCode the script's exit code, or null (running, timed out, not started)
 * @param outputLines how many output lines the run reported in all
 */
public record ProfileRun(
        String delegateId,
        String accountId,
        String profileId,
        String profileName,
        int version,
        String runId,
        ProfileRunStatus status,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long outputLines) {

    /** True when this run applied that profile version. */
    public boolean applies(String otherProfileId, int otherVersion) {
        return profileId.equals(otherProfileId) && version == otherVersion;
    }
}
