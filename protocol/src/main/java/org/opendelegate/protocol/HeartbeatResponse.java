package org.opendelegate.protocol;

import java.util.List;

/**
 * The Manager's answer to a heartbeat.
 *
 * @param heartbeatIntervalMillis the interval to use from now on
 * @param cancelTaskIds running tasks the delegate must stop
 * @param lostTaskIds running tasks whose lease this delegate no longer holds; stop them, their results
 *     would be refused
 * @param profile the delegate profile assigned now (see {@link ProfileAssignment} for when it carries the
 *     script); null from a Manager that predates profiles
 */
public record HeartbeatResponse(
        long heartbeatIntervalMillis, List<String> cancelTaskIds, List<String> lostTaskIds, ProfileAssignment profile) {

    /** An answer without a profile assignment. */
    public HeartbeatResponse(long heartbeatIntervalMillis, List<String> cancelTaskIds, List<String> lostTaskIds) {
        this(heartbeatIntervalMillis, cancelTaskIds, lostTaskIds, null);
    }

    /** The same answer with the delegate's profile assignment. */
    public HeartbeatResponse withProfile(ProfileAssignment assignment) {
        return new HeartbeatResponse(heartbeatIntervalMillis, cancelTaskIds, lostTaskIds, assignment);
    }
}
