package org.opendelegate.manager.delegates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.protocol.EcsIdentity;

/**
 * A delegate as the API and the console show it.
 *
 * @param selectors the effective selectors (group ∪ own ∪ implicit), lower case
 * @param selectorDetails the same with where each comes from
 * @param status {@code CONNECTED} or {@code DISCONNECTED}
 */
public record DelegateView(
        String id,
        String name,
        String hostname,
        String ip,
        String groupId,
        String groupName,
        String type,
        String launchType,
        String identityKind,
        String version,
        Profile profile,
        List<String> selectors,
        List<EffectiveSelector> selectorDetails,
        String status,
        Instant lastHeartbeatAt,
        Instant connectedSince,
        Instant disconnectedAt,
        String disconnectReason,
        int capacity,
        List<String> taskTypes,
        EcsIdentity ecs,
        Instant firstRegisteredAt) {

    public static final String CONNECTED = "CONNECTED";
    public static final String DISCONNECTED = "DISCONNECTED";

    /** The profile a delegate runs. */
    public record Profile(String name) {
    }

    static DelegateView of(DelegateEntry entry, Instant now, Duration disconnectAfter) {
        Delegate d = entry.delegate();
        boolean connected = d.isConnected(now, disconnectAfter);
        return new DelegateView(d.id(), d.name(), d.hostname(), d.ip(), entry.group().id(), entry.group().name(),
                d.type().name(), d.launchType(), d.identityKind().name(), d.version(), new Profile(d.profileName()),
                entry.selectorValues(), entry.selectors(), connected ? CONNECTED : DISCONNECTED, d.lastHeartbeatAt(),
                connected ? d.connectedSince() : null, connected ? null : d.disconnectedSince(disconnectAfter),
                connected ? null : d.disconnectReason() == null ? "missed heartbeats" : d.disconnectReason(),
                d.capacity(), d.taskTypes(), d.ecs(), d.firstRegisteredAt());
    }

    public boolean isConnected() {
        return CONNECTED.equals(status);
    }
}
