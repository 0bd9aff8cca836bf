package org.opendelegate.manager.profiles;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateView;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateProfile;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.ProfileVersion;

/**
 * What people see and change about delegate profiles; the REST API and the console both go through
 * here. Only admins change profiles (they run code on customer hosts), and every change is audited.
 */
public final class DelegateProfiles {
    private final DelegateProfileDao profiles;
    private final ProfileRunDao runs;
    private final KnownDelegates knownDelegates;
    private final DelegateAdmin delegateAdmin;
    private final AuditDao audit;
    private final Clock clock;
    private final Quotas quotas;

    public DelegateProfiles(
            DelegateProfileDao profiles,
            ProfileRunDao runs,
            KnownDelegates knownDelegates,
            DelegateAdmin delegateAdmin,
            AuditDao audit,
            Clock clock,
            Quotas quotas) {
        this.quotas = quotas;
        this.profiles = profiles;
        this.runs = runs;
        this.knownDelegates = knownDelegates;
        this.delegateAdmin = delegateAdmin;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every profile of the account, by name, with who uses it; scripts left out. */
    public List<ProfileView> list(String accountId) {
        List<DelegateView> delegates = delegateAdmin.delegates(accountId);
        List<GroupView> groups = delegateAdmin.groups(accountId);
        return profiles.list(accountId).stream()
                .map(p -> view(p, false, delegates, groups))
                .toList();
    }

    /** One profile with its current script and who uses it. */
    public ProfileView get(String accountId, String id) {
        return view(require(accountId, id), true, delegateAdmin.delegates(accountId), delegateAdmin.groups(accountId));
    }

    /** Every version, newest first, each with its script. */
    public List<ProfileVersionView> versions(String accountId, String id) {
        require(accountId, id);
        return profiles.versions(accountId, id).stream()
                .map(ProfileVersionView::of)
                .toList();
    }

    public ProfileView create(Principal principal, ProfileInput input) {
        principal.requireAdmin();
        ProfileRules.Valid valid = ProfileRules.validate(input);
        if (!knownDelegates.profiles().exists(principal.accountId(), valid.name())) {
            quotas.requireRoom(Quota.PROFILES, principal.accountId(), principal.actor(), valid.name());
        }
        Instant now = clock.instant();
        String id = DelegateProfile.PRIMARY.equals(valid.name())
                ? DelegateProfile.primaryId(principal.accountId())
                : Secrets.newId();
        ProfileVersion first = version(id, 1, principal, valid, now);
        try {
            profiles.insert(first);
        } catch (UnableToExecuteStatementException e) {
            throw DelegateProfileDao.isDuplicateName(e) ? nameTaken(valid.name()) : e;
        }
        DelegateProfile created = new DelegateProfile(id, principal.accountId(), principal.actor(), now, now, first);
        knownDelegates.profiles().changed(created, null);
        knownDelegates.profilesChanged();
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "delegate-profile.created",
                "delegate-profile",
                id,
                "name=" + valid.name() + " version=1 required=" + valid.required() + " selectors=" + valid.selectors()
                        + " scriptLines=" + valid.script().lines().count());
        return get(principal.accountId(), id);
    }

    /** Saves an edit as the next version; every delegate that applies the profile runs it again. */
    public ProfileView update(Principal principal, String id, ProfileInput input) {
        principal.requireAdmin();
        ProfileRules.Valid valid = ProfileRules.validate(input);
        DelegateProfile before = require(principal.accountId(), id);
        if (input.baseVersion() != null && input.baseVersion() != before.version()) {
            throw editedMeanwhile(before);
        }
        checkRename(principal.accountId(), before, valid.name());
        Instant now = clock.instant();
        ProfileVersion next = version(id, before.version() + 1, principal, valid, now);
        try {
            if (!profiles.addVersion(next)) {
                throw editedMeanwhile(require(principal.accountId(), id));
            }
        } catch (UnableToExecuteStatementException e) {
            throw DelegateProfileDao.isDuplicateName(e) ? nameTaken(valid.name()) : e;
        }
        knownDelegates
                .profiles()
                .changed(
                        new DelegateProfile(id, before.accountId(), before.createdBy(), before.createdAt(), now, next),
                        before.name());
        knownDelegates.profilesChanged();
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "delegate-profile.updated",
                "delegate-profile",
                id,
                "name=" + valid.name() + " version " + before.version() + " -> " + next.version() + " changed="
                        + changes(before.current(), next));
        return get(principal.accountId(), id);
    }

    /** Deletes a profile nobody uses: no group sets it and no connected delegate applies it. */
    public void delete(Principal principal, String id) {
        principal.requireAdmin();
        DelegateProfile profile = require(principal.accountId(), id);
        if (profile.isPrimary()) {
            throw DomainProblem.conflict(
                    "PRIMARY_PROFILE",
                    "The profile `Primary` is the default of every delegate "
                            + "and cannot be deleted; empty its script instead.");
        }
        ProfileView.Usage usage = view(
                        profile,
                        false,
                        delegateAdmin.delegates(principal.accountId()),
                        delegateAdmin.groups(principal.accountId()))
                .usedBy();
        List<String> users = new ArrayList<>();
        usage.groups().forEach(g -> users.add("group `" + g.name() + "`"));
        usage.delegates().stream()
                .filter(d -> DelegateView.CONNECTED.equals(d.status()))
                .forEach(d -> users.add("delegate `" + d.name() + "`"));
        if (!users.isEmpty()) {
            throw DomainProblem.conflict(
                    "PROFILE_IN_USE",
                    "Profile `" + profile.name() + "` is in use by "
                            + String.join(", ", users) + ". Give those groups another profile and stop or move those "
                            + "delegates first.");
        }
        if (profiles.delete(principal.accountId(), id)) {
            knownDelegates.profiles().deleted(profile);
            knownDelegates.profilesChanged();
            audit.record(
                    principal.accountId(),
                    clock.instant(),
                    principal.actor(),
                    "delegate-profile.deleted",
                    "delegate-profile",
                    id,
                    "name=" + profile.name() + " lastVersion=" + profile.version());
        }
    }

    /**
     * Sets the profile of every delegate of a group, or with a null id lets each delegate use the one it
     * asked for ({@code DELEGATE_PROFILE}). Members notice within one heartbeat and run it.
     */
    public GroupProfileView setGroupProfile(Principal principal, String groupId, String profileId) {
        principal.requireAdmin();
        GroupView group = delegateAdmin.groupSummary(principal.accountId(), groupId);
        DelegateProfile profile = profileId == null
                ? null
                : profiles.find(principal.accountId(), profileId)
                        .orElseThrow(() -> DomainProblem.invalidField(
                                "profileId",
                                "(`" + profileId + "`) is not a profile of "
                                        + "this account; list them with GET /api/v1/delegate-profiles."));
        String before = knownDelegates.profiles().groupProfileId(groupId);
        Instant now = clock.instant();
        profiles.setGroupProfile(principal.accountId(), groupId, profileId, now);
        knownDelegates.profiles().groupProfile(groupId, profileId);
        knownDelegates.profilesChanged();
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "delegate-group.profile-changed",
                "delegate-group",
                groupId,
                "group=" + group.name() + " from=" + nameOf(principal.accountId(), before) + " to="
                        + (profile == null
                                ? "(each delegate's DELEGATE_PROFILE)"
                                : profile.name() + " v" + profile.version()));
        return groupProfile(principal.accountId(), groupId);
    }

    /** The profile a group sets, if any. */
    public GroupProfileView groupProfile(String accountId, String groupId) {
        GroupView group = delegateAdmin.groupSummary(accountId, groupId);
        String profileId = knownDelegates.profiles().groupProfileId(groupId);
        DelegateProfile profile =
                profileId == null ? null : knownDelegates.profiles().find(accountId, profileId);
        return new GroupProfileView(
                group.id(),
                group.name(),
                profile == null ? null : profile.id(),
                profile == null ? null : profile.name(),
                group.delegateCount());
    }

    /** The kept output of a delegate's last profile run. */
    public ProfileOutputView output(String accountId, String delegateId) {
        DelegateView delegate = delegateAdmin.delegate(accountId, delegateId);
        var run = runs.find(accountId, delegateId);
        return new ProfileOutputView(
                delegate.id(),
                delegate.name(),
                delegate.profile(),
                run.map(r -> r.profileName()).orElse(null),
                run.map(r -> r.version()).orElse(null),
                run.map(r -> r.status().name()).orElse(null),
                runs.output(accountId, delegateId).orElse(""));
    }

    /**
     * A group's profile, for the answer of {@code PUT /api/v1/delegate-groups/{id}/profile}.
     *
     * @param profileId the profile the group sets, or null when each delegate uses its own
     */
    public record GroupProfileView(
            String groupId, String groupName, String profileId, String profileName, int delegateCount) {}

    private DelegateProfile require(String accountId, String id) {
        return profiles.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("delegate profile", id));
    }

    /**
     * Delegates choose a profile by name at install ({@code DELEGATE_PROFILE}). Renaming one that
     * delegates chose by name would move them to a new, empty profile of the old name at their next start,
     * so that is refused; the Primary profile keeps its name.
     */
    private void checkRename(String accountId, DelegateProfile before, String newName) {
        if (before.name().equals(newName)) {
            return;
        }
        if (before.isPrimary()) {
            throw DomainProblem.invalidField("name", "cannot change: `Primary` is every delegate's default profile.");
        }
        List<String> byName = knownDelegates.inAccount(accountId).stream()
                .filter(e -> e.delegate().profileName().equals(before.name())
                        && !e.profile().viaGroup())
                .map(ResolvedDelegate::name)
                .sorted()
                .limit(5)
                .toList();
        if (!byName.isEmpty()) {
            throw DomainProblem.conflict(
                    "PROFILE_CHOSEN_BY_NAME",
                    "Profile `" + before.name() + "` is chosen by name "
                            + "(DELEGATE_PROFILE) by delegate "
                            + String.join(
                                    ", ",
                                    byName.stream().map(n -> "`" + n + "`").toList())
                            + "; renaming it would move them to a new, empty profile of the old name when they "
                            + "restart. Set the profile on their groups instead, then rename it.");
        }
    }

    private ProfileView view(
            DelegateProfile p, boolean withScript, List<DelegateView> delegates, List<GroupView> groups) {
        Map<String, String> overrides = knownDelegates.profiles().groupProfiles();
        List<ProfileView.GroupRef> groupRefs = groups.stream()
                .filter(g -> p.id().equals(overrides.get(g.id())))
                .map(g -> new ProfileView.GroupRef(g.id(), g.name()))
                .toList();
        List<ProfileView.DelegateRef> delegateRefs = delegates.stream()
                .filter(d -> p.id().equals(d.profile().id()))
                .map(d -> new ProfileView.DelegateRef(d.id(), d.name(), d.groupName(), d.status(), d.profile()))
                .toList();
        ProfileVersion v = p.current();
        return new ProfileView(
                p.id(),
                v.name(),
                v.version(),
                v.description(),
                withScript ? v.script() : null,
                v.selectors(),
                v.required(),
                v.timeoutSeconds(),
                p.isPrimary(),
                p.createdBy(),
                p.createdAt(),
                v.createdBy(),
                v.createdAt(),
                new ProfileView.Usage(groupRefs, delegateRefs));
    }

    private static ProfileVersion version(
            String id, int number, Principal principal, ProfileRules.Valid v, Instant now) {
        return new ProfileVersion(
                id,
                number,
                principal.accountId(),
                v.name(),
                v.description(),
                v.script(),
                v.selectors(),
                v.required(),
                v.timeoutSeconds(),
                principal.actor(),
                now);
    }

    private String nameOf(String accountId, String profileId) {
        DelegateProfile p = profileId == null ? null : knownDelegates.profiles().find(accountId, profileId);
        return p == null ? "(each delegate's DELEGATE_PROFILE)" : p.name();
    }

    private static List<String> changes(ProfileVersion a, ProfileVersion b) {
        List<String> changed = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            changed.add("name");
        }
        if (!a.description().equals(b.description())) {
            changed.add("description");
        }
        if (!a.script().equals(b.script())) {
            changed.add("script");
        }
        if (!a.selectors().equals(b.selectors())) {
            changed.add("selectors");
        }
        if (a.required() != b.required()) {
            changed.add("required");
        }
        if (a.timeoutSeconds() != b.timeoutSeconds()) {
            changed.add("timeoutSeconds");
        }
        return changed;
    }

    private static DomainProblem nameTaken(String name) {
        return DomainProblem.conflict(
                "PROFILE_NAME_TAKEN",
                "A profile named `" + name + "` already exists in this "
                        + "account; choose another name or edit that profile.");
    }

    private static DomainProblem editedMeanwhile(DelegateProfile current) {
        return DomainProblem.conflict(
                "PROFILE_EDITED",
                "Profile `" + current.name() + "` was changed meanwhile (it is "
                        + "at version " + current.version() + " now, by "
                        + current.current().createdBy() + "); reload it and "
                        + "apply your change again.");
    }
}
