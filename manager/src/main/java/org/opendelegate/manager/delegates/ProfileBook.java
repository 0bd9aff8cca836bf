package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateProfile;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRun;
import org.opendelegate.manager.store.ProfileRunDao;

/**
 * An in-memory view of delegate profiles, group overrides and each delegate's last run, from which
 * {@link KnownDelegates} resolves every delegate's {@link ProfileState}. Like {@link KnownDelegates}, it is
 * updated by this replica's changes and reloaded from the store with it.
 */
public final class ProfileBook {
    private final DelegateProfileDao profiles;
    private final ProfileRunDao runs;
    private volatile Map<String, DelegateProfile> byId = new ConcurrentHashMap<>();
    private volatile Map<String, String> idByName = new ConcurrentHashMap<>();
    private volatile Map<String, String> groupProfiles = new ConcurrentHashMap<>();
    private volatile Map<String, ProfileRun> lastRuns = new ConcurrentHashMap<>();

    public ProfileBook(DelegateProfileDao profiles, ProfileRunDao runs) {
        this.profiles = profiles;
        this.runs = runs;
    }

    /** Replaces the view with the store's content. */
    public synchronized void reload() {
        Map<String, DelegateProfile> ids = new ConcurrentHashMap<>();
        Map<String, String> names = new ConcurrentHashMap<>();
        for (DelegateProfile p : profiles.listAll()) {
            ids.put(p.id(), p);
            names.put(key(p.accountId(), p.name()), p.id());
        }
        Map<String, ProfileRun> runsByDelegate = new ConcurrentHashMap<>();
        runs.listAll().forEach(r -> runsByDelegate.put(r.delegateId(), r));
        byId = ids;
        idByName = names;
        groupProfiles = new ConcurrentHashMap<>(profiles.groupProfiles());
        lastRuns = runsByDelegate;
    }

    /** The profile state of a delegate: its group's profile, else the one it asked for by name. */
    public ProfileState stateOf(Delegate d) {
        String groupProfile = groupProfiles.get(d.groupId());
        DelegateProfile assigned = groupProfile != null ? byId.get(groupProfile) : null;
        boolean viaGroup = assigned != null;
        if (assigned == null) {
            String id = idByName.get(key(d.accountId(), d.profileName()));
            assigned = id == null ? null : byId.get(id);
        }
        return new ProfileState(
                d.profileName(), assigned == null ? null : assigned.current(), viaGroup, lastRuns.get(d.id()));
    }

    /**
     * Makes sure the account has a profile of this name, creating an empty optional one if not.
     *
     * @return the profile if this call created it, else null
     */
    public DelegateProfile ensure(String accountId, String name, String actor, Instant now) {
        if (idByName.containsKey(key(accountId, name))) {
            return null;
        }
        boolean existed = profiles.findByName(accountId, name).isPresent();
        DelegateProfile profile = profiles.getOrCreate(accountId, name, actor, now);
        changed(profile, null);
        return existed || !profile.createdAt().equals(now) ? null : profile;
    }

    /** Whether the account has a profile of this name (asks the store when this replica does not know it). */
    public boolean exists(String accountId, String name) {
        return idByName.containsKey(key(accountId, name))
                || profiles.findByName(accountId, name).isPresent();
    }

    /** The profile with this id in the account, as this replica knows it. */
    public DelegateProfile find(String accountId, String id) {
        DelegateProfile p = byId.get(id);
        return p != null && p.accountId().equals(accountId) ? p : null;
    }

    /** Records a new or changed profile; {@code previousName} is its name before a rename, or null. */
    public synchronized void changed(DelegateProfile profile, String previousName) {
        if (previousName != null && !previousName.equals(profile.name())) {
            idByName.remove(key(profile.accountId(), previousName), profile.id());
        }
        byId.put(profile.id(), profile);
        idByName.put(key(profile.accountId(), profile.name()), profile.id());
    }

    public synchronized void deleted(DelegateProfile profile) {
        byId.remove(profile.id());
        idByName.remove(key(profile.accountId(), profile.name()), profile.id());
    }

    /** Records a group's profile, or with null that it has none. */
    public void groupProfile(String groupId, String profileId) {
        if (profileId == null) {
            groupProfiles.remove(groupId);
        } else {
            groupProfiles.put(groupId, profileId);
        }
    }

    /** The profile a group sets for its delegates, or null. */
    public String groupProfileId(String groupId) {
        return groupProfiles.get(groupId);
    }

    /** Which groups set a profile: group id → profile id. */
    public Map<String, String> groupProfiles() {
        return Map.copyOf(groupProfiles);
    }

    public void runRecorded(ProfileRun run) {
        lastRuns.put(run.delegateId(), run);
    }

    private static String key(String accountId, String name) {
        return accountId + '\n' + name;
    }
}
