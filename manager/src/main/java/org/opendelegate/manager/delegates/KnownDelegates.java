package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;

/**
 * Every delegate this replica knows, in memory, each resolved with its group, effective selectors and
 * profile ({@link ResolvedDelegate}): the hot paths (session checks, dispatch) read here, not the store.
 * The store stays the source of truth: this replica updates its copy when it changes something, and
 * {@link #reload()} runs every few seconds to pick up what other replicas changed.
 */
public final class KnownDelegates {
    private final DelegateDao delegates;
    private final DelegateGroupDao groups;
    private final ProfileBook profiles;
    private final Map<String, ResolvedDelegate> byId = new ConcurrentHashMap<>();

    public KnownDelegates(DelegateDao delegates, DelegateGroupDao groups, ProfileBook profiles) {
        this.delegates = delegates;
        this.groups = groups;
        this.profiles = profiles;
    }

    /** The profiles view the entries are resolved with. */
    public ProfileBook profiles() {
        return profiles;
    }

    /** Replaces the view with the store's content. */
    public void reload() {
        profiles.reload();
        Map<String, DelegateGroup> groupsById = new HashMap<>();
        List<Delegate> all = delegates.listAll();
        for (Delegate d : all) {
            DelegateGroup group = groupsById.computeIfAbsent(
                    d.groupId(), id -> groups.find(d.accountId(), id).orElse(null));
            if (group != null) {
                byId.put(d.id(), entry(d, group));
            }
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        all.forEach(d -> present.add(d.id()));
        byId.keySet().retainAll(present);
    }

    /** The entry of a delegate, loading it from the store if this replica has not seen it yet. */
    public Optional<ResolvedDelegate> get(String delegateId) {
        ResolvedDelegate entry = byId.get(delegateId);
        if (entry != null) {
            return Optional.of(entry);
        }
        return delegates
                .findById(delegateId)
                .flatMap(d -> groups.find(d.accountId(), d.groupId()).map(g -> put(d, g)));
    }

    /** Re-reads one delegate from the store. */
    public Optional<ResolvedDelegate> refresh(String delegateId) {
        byId.remove(delegateId);
        return get(delegateId);
    }

    /** All delegates of one account. */
    public List<ResolvedDelegate> inAccount(String accountId) {
        List<ResolvedDelegate> result = new ArrayList<>();
        for (ResolvedDelegate e : byId.values()) {
            if (e.accountId().equals(accountId)) {
                result.add(e);
            }
        }
        return result;
    }

    /** Every delegate. */
    public Collection<ResolvedDelegate> all() {
        return byId.values();
    }

    ResolvedDelegate put(Delegate delegate, DelegateGroup group) {
        ResolvedDelegate entry = entry(delegate, group);
        byId.put(delegate.id(), entry);
        return entry;
    }

    /** Re-computes the members of a group after its selectors changed. */
    void groupChanged(DelegateGroup group) {
        byId.replaceAll((id, e) -> e.group().id().equals(group.id()) ? entry(e.delegate(), group) : e);
    }

    /** Re-resolves every delegate's profile after a profile or a group's profile changed. */
    public void profilesChanged() {
        byId.replaceAll((id, e) -> entry(e.delegate(), e.group()));
    }

    /** Re-resolves one delegate's profile after it reported a run. */
    public void profileRunChanged(String delegateId) {
        byId.computeIfPresent(delegateId, (id, e) -> entry(e.delegate(), e.group()));
    }

    void heartbeat(String delegateId, Instant at) {
        byId.computeIfPresent(
                delegateId, (id, e) -> ResolvedDelegate.of(withHeartbeat(e.delegate(), at), e.group(), e.profile()));
    }

    private ResolvedDelegate entry(Delegate delegate, DelegateGroup group) {
        return ResolvedDelegate.of(delegate, group, profiles.stateOf(delegate));
    }

    void remove(String delegateId) {
        byId.remove(delegateId);
    }

    private static Delegate withHeartbeat(Delegate d, Instant at) {
        return new Delegate(
                d.id(),
                d.accountId(),
                d.groupId(),
                d.name(),
                d.hostname(),
                d.ip(),
                d.type(),
                d.launchType(),
                d.identityKind(),
                d.version(),
                d.profileName(),
                d.selectors(),
                d.taskTypes(),
                d.capacity(),
                d.ecs(),
                d.tokenId(),
                d.instanceId(),
                d.sessionId(),
                d.firstRegisteredAt(),
                d.connectedSince(),
                at,
                d.disconnectedAt(),
                d.disconnectReason());
    }
}
