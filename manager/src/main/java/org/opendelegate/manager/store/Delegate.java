package org.opendelegate.manager.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.IdentityKind;

/**
 * One delegate identity (group + name), as last reported. A restart comes back to the same record
 * with a new session.
 *
 * @param selectors the delegate's own selectors (not the effective set)
 * @param disconnectedAt when it said goodbye or was found silent; null while it is connected
 */
public record Delegate(
        String id,
        String accountId,
        String groupId,
        String name,
        String hostname,
        String ip,
        DelegateType type,
        String launchType,
        IdentityKind identityKind,
        String version,
        String profileName,
        List<String> selectors,
        List<String> taskTypes,
        int capacity,
        EcsIdentity ecs,
        String tokenId,
        String instanceId,
        String sessionId,
        Instant firstRegisteredAt,
        Instant connectedSince,
        Instant lastHeartbeatAt,
        Instant disconnectedAt,
        String disconnectReason) {

    /**
     * Connected means: not said goodbye, and heard from within the window. Derived at read time, so
     * every Manager replica agrees without coordination.
     */
    public boolean isConnected(Instant now, Duration disconnectAfter) {
        return disconnectedAt == null && !lastHeartbeatAt.plus(disconnectAfter).isBefore(now);
    }

    /** When it stopped being connected: the goodbye, or the end of the silence window. */
    public Instant disconnectedSince(Duration disconnectAfter) {
        return disconnectedAt != null ? disconnectedAt : lastHeartbeatAt.plus(disconnectAfter);
    }

    /** The same session, heard from at {@code at}. */
    public Delegate withHeartbeat(Instant connectedSince, Instant at) {
        return withSession(sessionId, capacity, connectedSince, at, disconnectedAt, disconnectReason);
    }

    /** The same delegate registered again at {@code at}: a new session, connected, with the capacity it gave. */
    public Delegate inNewSession(String newSessionId, int newCapacity, Instant at) {
        return withSession(newSessionId, newCapacity, at, at, null, null);
    }

    // Everything a session decides changed; what the delegate is (identity, group, selectors) kept.
    private Delegate withSession(
            String newSessionId,
            int newCapacity,
            Instant newConnectedSince,
            Instant newLastHeartbeatAt,
            Instant newDisconnectedAt,
            String newDisconnectReason) {
        return new Delegate(
                id,
                accountId,
                groupId,
                name,
                hostname,
                ip,
                type,
                launchType,
                identityKind,
                version,
                profileName,
                selectors,
                taskTypes,
                newCapacity,
                ecs,
                tokenId,
                instanceId,
                newSessionId,
                firstRegisteredAt,
                newConnectedSince,
                newLastHeartbeatAt,
                newDisconnectedAt,
                newDisconnectReason);
    }
}
