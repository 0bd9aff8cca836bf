package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.GroupScopes;

/**
 * What people (admins and viewers) see and change about delegates and groups: lists, one delegate, deleting
 * a disconnected one, a group's selectors and scopes. The REST API and the console both go through here,
 * so the console is never a second source of truth.
 */
public final class DelegateAdmin {
    private final DelegateDao delegates;
    private final DelegateGroupDao groups;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final Clock clock;

    public DelegateAdmin(
            DelegateDao delegates,
            DelegateGroupDao groups,
            AuditDao audit,
            KnownDelegates knownDelegates,
            DelegateTimings timings,
            Clock clock) {
        this.delegates = delegates;
        this.groups = groups;
        this.audit = audit;
        this.knownDelegates = knownDelegates;
        this.timings = timings;
        this.clock = clock;
    }

    /** Every delegate of the account, by group then name. */
    public List<DelegateView> delegates(String accountId) {
        Instant now = clock.instant();
        return knownDelegates.inAccount(accountId).stream()
                .map(e -> DelegateView.of(e, now, timings.disconnectAfter()))
                .sorted(Comparator.comparing(DelegateView::groupName).thenComparing(DelegateView::name))
                .toList();
    }

    public DelegateView delegate(String accountId, String id) {
        return knownDelegates
                .get(id)
                .filter(e -> e.accountId().equals(accountId))
                .map(e -> DelegateView.of(e, clock.instant(), timings.disconnectAfter()))
                .orElseThrow(() -> DomainProblem.notFound("delegate", id));
    }

    /**
     * Removes a disconnected delegate. A connected one is refused: it would register again at once.
     */
    public void deleteDelegate(Principal principal, String id) {
        principal.requireAdmin();
        DelegateView view = delegate(principal.accountId(), id);
        if (view.isConnected()) {
            throw DomainProblem.conflict(
                    "DELEGATE_CONNECTED",
                    "Delegate `" + view.name()
                            + "` is connected; it would register again at once. Stop its process (or scale its ECS service "
                            + "down) first, then delete it.");
        }
        if (delegates.delete(principal.accountId(), id)) {
            knownDelegates.remove(id);
            audit.record(
                    principal.accountId(),
                    clock.instant(),
                    principal.actor(),
                    "delegate.deleted",
                    "delegate",
                    id,
                    "name=" + view.name() + " group=" + view.groupName());
        }
    }

    /** Every group of the account, with member counts. */
    public List<GroupView> groups(String accountId) {
        List<DelegateView> all = delegates(accountId);
        List<GroupView> result = new ArrayList<>();
        for (DelegateGroup g : groups.list(accountId)) {
            result.add(view(
                    g, all.stream().filter(d -> d.groupId().equals(g.id())).toList(), false));
        }
        return result;
    }

    /** One group with its members. */
    public GroupView group(String accountId, String id) {
        return view(
                findGroup(accountId, id),
                delegates(accountId).stream()
                        .filter(d -> d.groupId().equals(id))
                        .toList(),
                true);
    }

    /** Replaces a group's selectors; every member's effective selectors change at once. */
    public GroupView setGroupSelectors(Principal principal, String id, List<String> selectors) {
        principal.requireAdmin();
        List<String> valid = Selectors.validate("selectors", selectors);
        DelegateGroup before = findGroup(principal.accountId(), id);
        Instant now = clock.instant();
        groups.updateSelectors(principal.accountId(), id, valid, now);
        return changed(principal, before.withSelectors(valid, now), now, "selectors", before.selectors(), valid);
    }

    /** Replaces a group's scopes; routing of every member changes at once. */
    public GroupView setGroupScopes(Principal principal, String id, GroupScopes scopes) {
        principal.requireAdmin();
        GroupScopes valid = ScopeRules.validate(scopes);
        DelegateGroup before = findGroup(principal.accountId(), id);
        Instant now = clock.instant();
        groups.updateScopes(principal.accountId(), id, valid, now);
        return changed(principal, before.withScopes(valid, now), now, "scopes", before.scopes(), valid);
    }

    /** After a group changed in the store: its members in memory follow, the audit trail says from what. */
    private GroupView changed(
            Principal principal, DelegateGroup group, Instant now, String what, Object from, Object to) {
        knownDelegates.groupChanged(group);
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "delegate-group." + what + "-changed",
                "delegate-group",
                group.id(),
                "from=" + from + " to=" + to);
        return group(principal.accountId(), group.id());
    }

    private DelegateGroup findGroup(String accountId, String id) {
        return groups.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("delegate group", id));
    }

    private static GroupView view(DelegateGroup g, List<DelegateView> members, boolean withMembers) {
        int connected = (int) members.stream().filter(DelegateView::isConnected).count();
        return new GroupView(
                g.id(),
                g.name(),
                g.selectors(),
                g.scopes(),
                members.size(),
                connected,
                g.createdAt(),
                g.updatedAt(),
                withMembers ? members : null);
    }
}
