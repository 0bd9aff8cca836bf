package org.opendelegate.manager.delegates;

import java.time.Instant;

/**
 * A delegate whose last registration presented a given token: after a rotation, the ones still on the
 * old token must move to the new one before its grace period ends.
 *
 * @param status {@code CONNECTED} or {@code DISCONNECTED}
 */
public record TokenDelegateView(String id, String name, String groupName, String status, Instant lastHeartbeatAt) {}
