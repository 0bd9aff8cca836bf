package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.GroupScopes;

/**
 * What people (admins and viewers) see and change about delegates and groups: lists, one delegate, deleting
 * a disconnected one, a group's selectors and scopes, creating, locking and unlocking groups. The REST API
 * and the console both go through here, so the console is never a second source of truth.
 */
public final class DelegateAdmin {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * The answer to locking a group: the group, the new token bound to it (its secret shown only here) and
     * what to do about the delegates that registered with an account-wide token.
     *
     * @param accountWideDelegates names of members that registered with an account-wide token: they keep
     *     their sessions, but are refused when they register again until they use the new token
     * @param redeploy how to give the new token to the group's delegates
     */
    public record LockedGroup(GroupView group, TokenView token, List<String> accountWideDelegates, String redeploy) {}

    private final DelegateDao delegates;
    private final DelegateGroupDao groups;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTokens tokens;
    private final DelegateTimings timings;
    private final Clock clock;
    private final Quotas quotas;
    private final DelegateListings listings;

    public DelegateAdmin(
            DelegateDao delegates,
            DelegateGroupDao groups,
            AuditDao audit,
            KnownDelegates knownDelegates,
            DelegateTokens tokens,
            DelegateTimings timings,
            Clock clock,
            Quotas quotas) {
        this.quotas = quotas;
        this.delegates = delegates;
        this.groups = groups;
        this.audit = audit;
        this.knownDelegates = knownDelegates;
        this.tokens = tokens;
        this.timings = timings;
        this.clock = clock;
        this.listings = new DelegateListings(knownDelegates, tokens, timings, clock);
    }

    /** Filtered, paged lists of the delegates, for the API and the console. */
    public DelegateListings listings() {
        return listings;
    }

    /** Every delegate of the account, by group then name. */
    public List<DelegateView> delegates(String accountId) {
        Instant now = clock.instant();
        Map<String, TokenView> tokensById = tokensById(accountId);
        return knownDelegates.inAccount(accountId).stream()
                .map(e -> view(e, tokensById, now))
                .sorted(Comparator.comparing(DelegateView::groupName).thenComparing(DelegateView::name))
                .toList();
    }

    public DelegateView delegate(String accountId, String id) {
        return knownDelegates
                .get(id)
                .filter(e -> e.accountId().equals(accountId))
                .map(e -> view(e, tokensById(accountId), clock.instant()))
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
            knownDelegates.removed(id);
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

    /** Every group of the account, with member counts (counted without building a view per delegate). */
    public List<GroupView> groups(String accountId) {
        Map<String, int[]> counts = new HashMap<>();
        for (ResolvedDelegate d : knownDelegates.inAccount(accountId)) {
            int[] c = counts.computeIfAbsent(d.group().id(), id -> new int[2]);
            c[0]++;
            c[1] += listings.isConnected(d) ? 1 : 0;
        }
        List<GroupView> result = new ArrayList<>();
        for (DelegateGroup g : groups.list(accountId)) {
            int[] c = counts.getOrDefault(g.id(), new int[2]);
            result.add(new GroupView(
                    g.id(),
                    g.name(),
                    g.selectors(),
                    g.scopes(),
                    g.locked(),
                    c[0],
                    c[1],
                    g.createdAt(),
                    g.updatedAt(),
                    null));
        }
        return result;
    }

    /** One group with its member counts but not its members: cheap whatever the group's size. */
    public GroupView groupSummary(String accountId, String id) {
        DelegateGroup g = findGroup(accountId, id);
        int members = 0;
        int connected = 0;
        for (ResolvedDelegate d : knownDelegates.inAccount(accountId)) {
            if (d.group().id().equals(id)) {
                members++;
                connected += listings.isConnected(d) ? 1 : 0;
            }
        }
        return new GroupView(
                g.id(),
                g.name(),
                g.selectors(),
                g.scopes(),
                g.locked(),
                members,
                connected,
                g.createdAt(),
                g.updatedAt(),
                null);
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

    /**
     * Creates a group for delegates to join. It is locked: only tokens bound to it may register delegates
     * into it (issue one with {@link #lockAndIssueToken}, or download an installer for the group).
     */
    public GroupView createGroup(Principal principal, String name, List<String> selectors) {
        principal.requireAdmin();
        if (name == null || !RegistrationRules.GROUP_NAME.matcher(name).matches()) {
            throw DomainProblem.invalidField(
                    "name", "(\"" + name + "\") must be " + RegistrationRules.GROUP_NAME_RULE + ".");
        }
        List<String> valid = Selectors.validate("selectors", selectors);
        if (groups.findByName(principal.accountId(), name).isEmpty()) {
            quotas.requireRoom(Quota.GROUPS, principal.accountId(), principal.actor(), name);
        }
        Instant now = clock.instant();
        DelegateGroup group = new DelegateGroup(
                Secrets.newId(), principal.accountId(), name, valid, GroupScopes.NONE, true, now, now);
        if (!groups.create(group)) {
            throw DomainProblem.conflict(
                    "DUPLICATE_NAME", "A delegate group named `" + name + "` already exists; pick another name.");
        }
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "delegate-group.created",
                "delegate-group",
                group.id(),
                "name=" + name + " locked=true selectors=" + valid);
        return group(principal.accountId(), group.id());
    }

    /**
     * Locks a group and issues a new token bound to it, whose secret the answer shows once. Members that
     * registered with an account-wide token keep their sessions, but are refused when they register again
     * until they use the new token. The token is made first, so a bad name changes nothing.
     *
     * @param tokenName the new token's name; null or blank for {@code <group>-bound-<time>}
     */
    public LockedGroup lockAndIssueToken(Principal principal, String id, String tokenName) {
        principal.requireAdmin();
        new FieldRules().text("tokenName", tokenName, DelegateTokens.MAX_NAME).throwIfAny();
        DelegateGroup before = findGroup(principal.accountId(), id);
        String name = tokenName == null || tokenName.isBlank()
                ? freeTokenName(principal.accountId(), before.name() + "-bound-" + STAMP.format(clock.instant()))
                : tokenName;
        TokenView token = tokens.create(principal, name, before.id());
        Instant now = clock.instant();
        groups.updateLocked(principal.accountId(), id, true, now);
        GroupView view = changed(principal, before.withLocked(true, now), now, "locked", before.locked(), true);
        List<String> accountWide = view.delegates().stream()
                .filter(DelegateView::usesAccountWideToken)
                .map(DelegateView::name)
                .toList();
        return new LockedGroup(view, token, accountWide, redeployHint(before.name(), accountWide));
    }

    /** Unlocks a group: every valid token of the account may register delegates into it again. */
    public GroupView unlock(Principal principal, String id) {
        principal.requireAdmin();
        DelegateGroup before = findGroup(principal.accountId(), id);
        Instant now = clock.instant();
        groups.updateLocked(principal.accountId(), id, false, now);
        return changed(principal, before.withLocked(false, now), now, "locked", before.locked(), false);
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

    private DelegateView view(ResolvedDelegate entry, Map<String, TokenView> tokensById, Instant now) {
        String tokenId = entry.delegate().tokenId();
        return DelegateView.of(entry, tokenId == null ? null : tokensById.get(tokenId), now, timings.disconnectAfter());
    }

    private Map<String, TokenView> tokensById(String accountId) {
        return tokens.list(accountId).stream().collect(Collectors.toMap(TokenView::id, Function.identity()));
    }

    private String freeTokenName(String accountId, String base) {
        Set<String> taken = tokens.list(accountId).stream().map(TokenView::name).collect(Collectors.toSet());
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static String redeployHint(String groupName, List<String> accountWide) {
        String who = accountWide.isEmpty()
                ? "No member of `" + groupName + "` uses an account-wide token. "
                : accountWide.size() + (accountWide.size() == 1 ? " member uses" : " members use")
                        + " an account-wide token (" + String.join(", ", accountWide)
                        + "): they keep running, but are refused when they register again. ";
        return who + "Redeploy the group's delegates with DELEGATE_TOKEN set to the new token: for ECS, put it in "
                + "the secret or parameter the task definition reads (or download a new ECS Task Spec for `"
                + groupName + "` and pick this token), then force a new deployment of the service; for shell "
                + "delegates, edit delegate.env and restart them.";
    }

    private static GroupView view(DelegateGroup g, List<DelegateView> members, boolean withMembers) {
        int connected = (int) members.stream().filter(DelegateView::isConnected).count();
        return new GroupView(
                g.id(),
                g.name(),
                g.selectors(),
                g.scopes(),
                g.locked(),
                members.size(),
                connected,
                g.createdAt(),
                g.updatedAt(),
                withMembers ? members : null);
    }
}
