package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Duration;
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
 * when a delegate falls silent, and removes delegates that stayed disconnected longer than the retention of
 * their kind: ephemeral ones (named by container id) after minutes, so replaced Fargate tasks never pile up
 * as ghosts, stable ones after days ({@code OPENDELEGATE_STABLE_RETENTION}), so a fleet that moved on is not
 * listed and counted forever. The audit trail keeps what they were ({@code delegate.removed}). Every replica
 * runs this sweep: the audit of a silence and the removal are conditional updates in the store, so each is
 * written once.
 */
public final class DelegateSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(DelegateSweeper.class);

    /**
     * Sweeps per full reload: at 2 s a sweep, 30 s. A full reload maps every row with its group and profile,
     * which at 10,000 delegates is a pause the heartbeats would feel every sweep.
     */
    static final int FULL_RELOAD_EVERY = 15;

    private final DelegateDao delegates;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final Clock clock;
    private final Set<String> knownSilent = new HashSet<>();
    private long sweeps;

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

    /**
     * One sweep. The view is synced with the store's sessions and heartbeats every sweep, and reloaded
     * whole (groups and profiles too, the safety net for a lost signal) every {@link #FULL_RELOAD_EVERY}th.
     */
    public void tick() {
        if (sweeps++ % FULL_RELOAD_EVERY == 0) {
            knownDelegates.reload();
        } else {
            knownDelegates.syncLiveness();
        }
        Instant now = clock.instant();
        Set<String> silent = new HashSet<>();
        for (ResolvedDelegate entry : knownDelegates.all()) {
            Delegate d = entry.delegate();
            if (d.isConnected(now, timings.disconnectAfter())) {
                continue;
            }
            if (d.disconnectedAt() == null) {
                silent.add(d.id());
                // Every replica sweeps: the store decides which one audits this silence.
                if (!knownSilent.contains(d.id())
                        && delegates.noteSilence(d.id(), now.minus(timings.disconnectAfter()))) {
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
            removeIfRetentionPassed(entry, now);
        }
        knownSilent.clear();
        knownSilent.addAll(silent);
    }

    /**
     * Removes a delegate that stayed disconnected longer than its kind's retention: ephemeral ones (named by
     * container id) soon, stable ones after days, so neither piles up nor counts any more. The audit trail
     * keeps what each was and why it went.
     */
    private void removeIfRetentionPassed(ResolvedDelegate entry, Instant now) {
        Delegate d = entry.delegate();
        boolean ephemeral = d.identityKind() == IdentityKind.EPHEMERAL;
        Duration retention = ephemeral ? timings.ephemeralRetention() : timings.stableRetention();
        Instant since = d.disconnectedSince(timings.disconnectAfter());
        if (!since.plus(retention).isBefore(now) || !delegates.delete(d.accountId(), d.id())) {
            return;
        }
        knownDelegates.removed(d.id());
        String reason = (ephemeral ? "ephemeral" : "stable") + " delegate disconnected longer than its retention of "
                + retention.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        audit.record(
                d.accountId(),
                now,
                "system",
                "delegate.removed",
                "delegate",
                d.id(),
                "reason=" + reason + " name=" + d.name() + " group="
                        + entry.group().name() + " ecsTask="
                        + (d.ecs() == null ? null : d.ecs().taskArn()) + " lastHeartbeat=" + d.lastHeartbeatAt());
        LOG.info("Removed delegate {} ({}), disconnected since {}: {}", d.name(), d.id(), since, reason);
    }
}
