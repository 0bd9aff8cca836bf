package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.TrustedIdentityDao;

/** The AWS identities a delegate group trusts for IAM registration, as people see and change them. */
public final class GroupTrust {
    /** A group's trusted identities, as the API and the console show them. */
    public record TrustedIdentitiesView(String groupId, String groupName, List<String> trustedIdentities) {}

    private final DelegateGroupDao groups;
    private final TrustedIdentityDao trusted;
    private final AuditDao audit;
    private final Clock clock;

    public GroupTrust(DelegateGroupDao groups, TrustedIdentityDao trusted, AuditDao audit, Clock clock) {
        this.groups = groups;
        this.trusted = trusted;
        this.audit = audit;
        this.clock = clock;
    }

    public TrustedIdentitiesView get(String accountId, String groupId) {
        DelegateGroup group = find(accountId, groupId);
        return new TrustedIdentitiesView(group.id(), group.name(), trusted.find(accountId, group.id()));
    }

    /** Replaces the group's trusted identities (admins only); role ARNs are stored as assumed-role patterns. */
    public TrustedIdentitiesView set(Principal principal, String groupId, List<String> identities) {
        principal.requireAdmin();
        List<String> valid = TrustedIdentities.validate("trustedIdentities", identities);
        DelegateGroup group = find(principal.accountId(), groupId);
        replace(principal.accountId(), group, valid, principal.actor());
        return get(principal.accountId(), group.id());
    }

    /** Stores a checked list and audits the change; installers call this with the task role's pattern. */
    public void replace(String accountId, DelegateGroup group, List<String> valid, String actor) {
        List<String> before = trusted.find(accountId, group.id());
        Instant now = clock.instant();
        trusted.replace(accountId, group.id(), valid, now);
        audit.record(
                accountId,
                now,
                actor,
                "delegate-group.trusted-identities-changed",
                "delegate-group",
                group.id(),
                "from=" + before + " to=" + valid);
    }

    /** Adds one identity to what the group trusts (installers: the task role's pattern), if not there yet. */
    public void add(String accountId, DelegateGroup group, String identity, String actor) {
        List<String> current = trusted.find(accountId, group.id());
        if (!current.contains(identity)) {
            List<String> more = new java.util.ArrayList<>(current);
            more.add(identity);
            replace(accountId, group, TrustedIdentities.validate("trustedIdentities", more), actor);
        }
    }

    private DelegateGroup find(String accountId, String groupId) {
        return groups.find(accountId, groupId).orElseThrow(() -> DomainProblem.notFound("delegate group", groupId));
    }
}
