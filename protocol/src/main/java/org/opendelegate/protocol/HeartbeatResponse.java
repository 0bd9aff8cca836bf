package org.opendelegate.protocol;

import java.util.List;

/**
 * The Manager's answer to a heartbeat.
 *
 * @param heartbeatIntervalMillis the interval to use from now on
 * @param cancelTaskIds running tasks the delegate must stop
 * @param lostTaskIds running tasks whose lease this delegate no longer holds; stop them, their results
 *     would be refused
 */
public record HeartbeatResponse(long heartbeatIntervalMillis, List<String> cancelTaskIds, List<String> lostTaskIds) {
}
