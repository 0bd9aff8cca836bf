package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.protocol.IdentityKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the delegate list honest: refreshes this replica's view from the store, writes an audit event
 * when a delegate falls silent, and removes ephemeral delegates (named by container id) that stayed
 * disconnected longer than the retention window, so replaced Fargate tasks never pile up as ghosts. The
 * audit trail keeps what they were.
 */
public final class DelegateSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(DelegateSweeper.class);

    private final DelegateDao delegates;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final Clock clock;
    private final Set<String> knownSilent = new HashSet<>();

    public DelegateSweeper(
            DelegateDao delegates,
            AuditDao audit,
            KnownDelegates knownDelegates,
            DelegateTimings timings,
            Clock clock) {
        this.delegates = delegates;
        this.audit = audit;
        this.knownDelegates = knownDelegates;
        this.timings = timings;
        this.clock = clock;
    }

    /** One sweep. */
    public void tick() {
        knownDelegates.reload();
        Instant now = clock.instant();
        Set<String> silent = new HashSet<>();
        for (ResolvedDelegate entry : knownDelegates.all()) {
            Delegate d = entry.delegate();
            if (d.isConnected(now, timings.disconnectAfter())) {
                continue;
            }
            if (d.disconnectedAt() == null) {
                silent.add(d.id());
                if (!knownSilent.contains(d.id())) {
                    LOG.warn(
                            "Delegate {} ({}) missed its heartbeats; last heard from at {}",
                            d.name(),
                            d.id(),
                            d.lastHeartbeatAt());
                    audit.record(
                            d.accountId(),
                            now,
                            "system",
                            "delegate.disconnected",
                            "delegate",
                            d.id(),
                            "missed heartbeats; last heartbeat " + d.lastHeartbeatAt());
                }
            }
            if (d.identityKind() == IdentityKind.EPHEMERAL
                    && d.disconnectedSince(timings.disconnectAfter())
                            .plus(timings.ephemeralRetention())
                            .isBefore(now)
                    && delegates.delete(d.accountId(), d.id())) {
                knownDelegates.remove(d.id());
                audit.record(
                        d.accountId(),
                        now,
                        "system",
                        "delegate.expired",
                        "delegate",
                        d.id(),
                        "name=" + d.name() + " group=" + entry.group().name() + " ecsTask="
                                + (d.ecs() == null ? null : d.ecs().taskArn()) + " lastHeartbeat="
                                + d.lastHeartbeatAt());
                LOG.info(
                        "Removed ephemeral delegate {} ({}), disconnected since {}",
                        d.name(),
                        d.id(),
                        d.disconnectedSince(timings.disconnectAfter()));
            }
        }
        knownSilent.clear();
        knownSilent.addAll(silent);
    }
}
