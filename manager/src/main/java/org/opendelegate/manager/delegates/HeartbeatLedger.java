package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.store.DelegateDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats this replica heard and has not written yet. A heartbeat is answered from memory; every
 * {@link DelegateTimings#livenessFlush()} the latest heartbeat of each delegate heard since the last flush
 * is written to the store in one batched update ({@link #flush()}), so that thousands of delegates cost a
 * few statements every few seconds instead of one write each, and the replicas still agree on who is alive
 * through the store: each writes the delegates it heard from. The stored last heartbeat of a live delegate
 * is thus at most one flush interval behind (plus the flush's own time); the Manager's configuration keeps
 * that well inside the disconnect window, and a {@code kill -9} loses at most that much liveness, never a
 * lease (leases are renewed in the store by the heartbeat itself).
 *
 * <p>The store also answers, per delegate, whether the heartbeat's session was still the current, connected
 * one; when it was not (another replica registered the delegate anew, or it said goodbye there), this
 * replica re-reads the delegate, so its next call is refused.
 */
public final class HeartbeatLedger {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLedger.class);
    /** Rows per transaction: short transactions, and replicas that heard the same delegates lock in id order. */
    static final int ROWS_PER_COMMIT = 1000;

    private final DelegateDao delegates;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final ManagerMetrics metrics;
    private final Map<String, DelegateDao.Heartbeat> unwritten = new ConcurrentHashMap<>();

    public HeartbeatLedger(
            DelegateDao delegates, KnownDelegates knownDelegates, DelegateTimings timings, ManagerMetrics metrics) {
        this.delegates = delegates;
        this.knownDelegates = knownDelegates;
        this.timings = timings;
        this.metrics = metrics;
    }

    /** Notes a heartbeat of this session; the next flush writes it (only the latest per delegate). */
    void heard(String delegateId, String sessionId, Instant at) {
        unwritten.merge(
                delegateId,
                new DelegateDao.Heartbeat(delegateId, sessionId, at, at.minus(timings.disconnectAfter())),
                HeartbeatLedger::later);
    }

    /**
     * Writes every heartbeat heard since the last flush; returns how many delegates it wrote. When the store
     * cannot be written, the heartbeats stay noted for the next flush.
     */
    public synchronized int flush() {
        if (unwritten.isEmpty()) {
            return 0;
        }
        List<DelegateDao.Heartbeat> taken = new ArrayList<>(unwritten.size());
        for (String id : List.copyOf(unwritten.keySet())) {
            DelegateDao.Heartbeat h = unwritten.remove(id);
            if (h != null) {
                taken.add(h);
            }
        }
        taken.sort(Comparator.comparing(DelegateDao.Heartbeat::delegateId));
        int written = 0;
        try {
            for (int from = 0; from < taken.size(); from += ROWS_PER_COMMIT) {
                List<DelegateDao.Heartbeat> chunk = taken.subList(from, Math.min(taken.size(), from + ROWS_PER_COMMIT));
                List<Boolean> current = delegates.heartbeatAll(chunk);
                written += chunk.size();
                for (int i = 0; i < chunk.size(); i++) {
                    if (!current.get(i)) {
                        // The store knows a newer session or a goodbye: the next call of this one is refused.
                        knownDelegates.refresh(chunk.get(i).delegateId());
                    }
                }
            }
        } catch (RuntimeException e) {
            List<DelegateDao.Heartbeat> left = taken.subList(written, taken.size());
            left.forEach(h -> unwritten.merge(h.delegateId(), h, HeartbeatLedger::later));
            LOG.warn(
                    "Could not write {} delegates' heartbeats; the next flush tries again: {}",
                    left.size(),
                    e.toString());
            throw e;
        } finally {
            metrics.heartbeatsFlushed(written);
        }
        return written;
    }

    /** How many delegates have a heartbeat not written yet. */
    int unwritten() {
        return unwritten.size();
    }

    private static DelegateDao.Heartbeat later(DelegateDao.Heartbeat a, DelegateDao.Heartbeat b) {
        return b.at().isBefore(a.at()) ? a : b;
    }
}
