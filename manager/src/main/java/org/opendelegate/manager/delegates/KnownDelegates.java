package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.Signal;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;

/**
 * Every delegate this replica knows, in memory, each resolved with its group, effective selectors and
 * profile ({@link ResolvedDelegate}): the hot paths (session checks, dispatch) read here, not the store.
 * The store stays the source of truth: this replica updates its copy when it changes something, and
 * {@link #syncLiveness()} (sessions and heartbeats) and {@link #reload()} (everything) run every few seconds
 * to pick up what other replicas changed.
 *
 * <p>Entries are indexed by id and by account: dispatch asks for the delegates of one account on every
 * decision, which must not cost a pass over every account's fleet. Both maps change together, under the
 * lock of the entry's bin in the id map.
 */
public final class KnownDelegates {
    private final DelegateDao delegates;
    private final DelegateGroupDao groups;
    private final ProfileBook profiles;
    private final Map<String, ResolvedDelegate> byId = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ResolvedDelegate>> byAccount = new ConcurrentHashMap<>();
    private volatile ClusterSignals cluster = ClusterSignals.local();

    public KnownDelegates(DelegateDao delegates, DelegateGroupDao groups, ProfileBook profiles) {
        this.delegates = delegates;
        this.groups = groups;
        this.profiles = profiles;
    }

    /**
     * Joins the other replicas: a delegate, group or profile changed here is re-read there at once (else at
     * their next {@link #reload()}, every delegate sweep), and the other way round.
     */
    public void joinCluster(ClusterSignals signals) {
        this.cluster = signals;
        signals.subscribe(Signal.DELEGATE_CHANGED, ids -> ids.forEach(this::refresh));
        signals.subscribe(Signal.DIRECTORY_CHANGED, unused -> reload());
    }

    /** The profiles view the entries are resolved with. */
    public ProfileBook profiles() {
        return profiles;
    }

    /** Replaces the view with the store's content. */
    public void reload() {
        profiles.reload();
        // Only entries known before the store was read may be dropped as gone: one that registered while
        // the (at 10,000 delegates, long) read ran is missing from it but very much there.
        Set<String> before = Set.copyOf(byId.keySet());
        Map<String, DelegateGroup> groupsById = new HashMap<>();
        List<Delegate> all = delegates.listAll();
        for (Delegate d : all) {
            DelegateGroup group = groupsById.computeIfAbsent(
                    d.groupId(), id -> groups.find(d.accountId(), id).orElse(null));
            if (group != null) {
                store(entry(d, group));
            }
        }
        Set<String> present = new HashSet<>();
        all.forEach(d -> present.add(d.id()));
        for (String id : before) {
            if (!present.contains(id)) {
                remove(id);
            }
        }
    }

    /**
     * Brings the view's sessions and liveness up to the store's, reading only those columns (the sweep does
     * this every 2 s; a full {@link #reload()} of 10,000 rows with their groups and profiles is too dear to
     * run that often). A later heartbeat another replica wrote moves the entry on; a row with another session
     * (a registration elsewhere) or a session ended elsewhere, and a delegate this view does not know yet, is
     * re-read whole; a delegate gone from the store is forgotten.
     */
    public void syncLiveness() {
        Set<String> before = Set.copyOf(byId.keySet());
        List<DelegateDao.Liveness> rows = delegates.livenessAll();
        Set<String> present = new HashSet<>();
        for (DelegateDao.Liveness row : rows) {
            present.add(row.delegateId());
            ResolvedDelegate known = byId.get(row.delegateId());
            if (known == null || !sameSession(known.delegate(), row)) {
                refresh(row.delegateId());
            } else if (row.lastHeartbeatAt().isAfter(known.delegate().lastHeartbeatAt())) {
                update(
                        row.delegateId(),
                        e -> sameSession(e.delegate(), row)
                                        && row.lastHeartbeatAt()
                                                .isAfter(e.delegate().lastHeartbeatAt())
                                ? e.withDelegate(
                                        e.delegate().withHeartbeat(row.connectedSince(), row.lastHeartbeatAt()))
                                : e);
            }
        }
        for (String id : before) {
            if (!present.contains(id)) {
                remove(id);
            }
        }
    }

    private static boolean sameSession(Delegate d, DelegateDao.Liveness row) {
        return d.sessionId().equals(row.sessionId())
                && Objects.equals(d.disconnectedAt(), row.disconnectedAt())
                && Objects.equals(d.disconnectReason(), row.disconnectReason());
    }

    /** The entry of a delegate, loading it from the store if this replica has not seen it yet. */
    public Optional<ResolvedDelegate> get(String delegateId) {
        ResolvedDelegate entry = byId.get(delegateId);
        if (entry != null) {
            return Optional.of(entry);
        }
        return delegates
                .findById(delegateId)
                .flatMap(d -> groups.find(d.accountId(), d.groupId()).map(g -> {
                    ResolvedDelegate loaded = entry(d, g);
                    store(loaded);
                    return loaded;
                }));
    }

    /** The delegate's current session as this replica knows it; empty when there is no such delegate. */
    public Optional<String> currentSession(String delegateId) {
        return get(delegateId).map(d -> d.delegate().sessionId());
    }

    /** Re-reads one delegate from the store (keeping a later heartbeat this replica heard, see {@link #store}). */
    public Optional<ResolvedDelegate> refresh(String delegateId) {
        Optional<ResolvedDelegate> loaded = delegates
                .findById(delegateId)
                .flatMap(d -> groups.find(d.accountId(), d.groupId()).map(g -> entry(d, g)));
        if (loaded.isEmpty()) {
            remove(delegateId);
            return Optional.empty();
        }
        return Optional.of(store(loaded.get()));
    }

    /** All delegates of one account: a copy of the account's index, never a pass over other accounts. */
    public List<ResolvedDelegate> inAccount(String accountId) {
        Map<String, ResolvedDelegate> ofAccount = byAccount.get(accountId);
        return ofAccount == null ? new ArrayList<>() : new ArrayList<>(ofAccount.values());
    }

    /** Every delegate. */
    public Collection<ResolvedDelegate> all() {
        return byId.values();
    }

    /** Stores this replica's change of a delegate (a registration, a goodbye); the other replicas re-read it. */
    ResolvedDelegate put(Delegate delegate, DelegateGroup group) {
        ResolvedDelegate entry = entry(delegate, group);
        store(entry);
        cluster.publish(Signal.DELEGATE_CHANGED, delegate.id());
        return entry;
    }

    /** Re-computes the members of a group after its selectors changed. */
    void groupChanged(DelegateGroup group) {
        for (String id : List.copyOf(ofAccount(group.accountId()).keySet())) {
            update(id, e -> e.group().id().equals(group.id()) ? entry(e.delegate(), group) : e);
        }
        cluster.publish(Signal.DIRECTORY_CHANGED, group.id());
    }

    /** Re-resolves every delegate's profile after a profile or a group's profile changed. */
    public void profilesChanged() {
        for (String id : List.copyOf(byId.keySet())) {
            update(id, e -> entry(e.delegate(), e.group()));
        }
        cluster.publish(Signal.DIRECTORY_CHANGED, "profiles");
    }

    /** Re-resolves one delegate's profile after it reported a run. */
    public void profileRunChanged(String delegateId) {
        update(delegateId, e -> entry(e.delegate(), e.group()));
    }

    /**
     * A heartbeat heard by this replica: the entry is live from now on, connected anew after a silence
     * longer than {@code disconnectAfter}, as the store's row will be after the next liveness flush.
     */
    void heartbeat(String delegateId, Instant at, java.time.Duration disconnectAfter) {
        update(delegateId, e -> {
            Delegate d = e.delegate();
            Instant connectedSince = d.lastHeartbeatAt().plus(disconnectAfter).isBefore(at) ? at : d.connectedSince();
            return e.withDelegate(d.withHeartbeat(connectedSince, at));
        });
    }

    /**
     * Stores an entry read from the store or changed here. This replica may have heard the same session
     * later than the store knows (its heartbeats reach the store with the next liveness flush): then the
     * later heartbeat is kept, or a reload would show a live delegate silent for up to a flush interval.
     */
    private ResolvedDelegate store(ResolvedDelegate entry) {
        return byId.compute(entry.id(), (id, old) -> {
            if (old != null && !old.accountId().equals(entry.accountId())) {
                ofAccount(old.accountId()).remove(id);
            }
            ResolvedDelegate kept = old == null ? entry : withLaterHeartbeat(entry, old.delegate());
            ofAccount(kept.accountId()).put(id, kept);
            return kept;
        });
    }

    private static ResolvedDelegate withLaterHeartbeat(ResolvedDelegate stored, Delegate heard) {
        Delegate d = stored.delegate();
        if (d.disconnectedAt() != null
                || heard.disconnectedAt() != null
                || !Objects.equals(d.sessionId(), heard.sessionId())
                || !heard.lastHeartbeatAt().isAfter(d.lastHeartbeatAt())) {
            return stored;
        }
        return stored.withDelegate(d.withHeartbeat(heard.connectedSince(), heard.lastHeartbeatAt()));
    }

    /** Replaces an entry, if still present, in both maps. */
    private void update(String delegateId, UnaryOperator<ResolvedDelegate> change) {
        byId.computeIfPresent(delegateId, (id, e) -> {
            ResolvedDelegate changed = change.apply(e);
            ofAccount(changed.accountId()).put(id, changed);
            return changed;
        });
    }

    private Map<String, ResolvedDelegate> ofAccount(String accountId) {
        return byAccount.computeIfAbsent(accountId, a -> new ConcurrentHashMap<>());
    }

    private ResolvedDelegate entry(Delegate delegate, DelegateGroup group) {
        return ResolvedDelegate.of(delegate, group, profiles.stateOf(delegate));
    }

    /** Forgets a delegate that was deleted; the other replicas forget it too. */
    void removed(String delegateId) {
        remove(delegateId);
        cluster.publish(Signal.DELEGATE_CHANGED, delegateId);
    }

    void remove(String delegateId) {
        byId.computeIfPresent(delegateId, (id, e) -> {
            ofAccount(e.accountId()).remove(id);
            return null;
        });
    }
}
