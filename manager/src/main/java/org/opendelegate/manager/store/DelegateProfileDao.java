package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Delegate profiles, their versions, and which group overrides its delegates' profile. */
public final class DelegateProfileDao {
    private static final String CURRENT = "SELECT p.id, p.account_id, p.created_by AS p_created_by, "
            + "p.created_at AS p_created_at, p.updated_at, v.* FROM delegate_profile p "
            + "JOIN delegate_profile_version v ON v.profile_id = p.id AND v.version = p.current_version ";
    private static final RowMapper<ProfileVersion> VERSION = (rs, ctx) -> new ProfileVersion(
            rs.getString("profile_id"),
            rs.getInt("version"),
            rs.getString("account_id"),
            rs.getString("name"),
            rs.getString("description"),
            rs.getString("script"),
            Rows.stringList(rs, "selectors"),
            rs.getBoolean("required"),
            rs.getInt("timeout_seconds"),
            rs.getString("created_by"),
            Rows.instant(rs, "created_at"));
    private static final RowMapper<DelegateProfile> PROFILE = (rs, ctx) -> new DelegateProfile(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("p_created_by"),
            Rows.instant(rs, "p_created_at"),
            Rows.instant(rs, "updated_at"),
            VERSION.map(rs, ctx));

    private final Jdbi jdbi;
    private final Table<DelegateProfile> profiles;

    public DelegateProfileDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.profiles = new Table<>(jdbi, "delegate_profile", CURRENT, "p.account_id", PROFILE);
    }

    /**
     * Stores a new profile with its first version; throws a unique violation (see
     * {@link #isDuplicateName}) when the account already has a profile of that name.
     */
    public void insert(ProfileVersion first) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO delegate_profile (id, account_id, name, current_version, created_by, "
                            + "created_at, updated_at) VALUES (:id, :a, :n, :v, :by, :at, :at)")
                    .bind("id", first.profileId())
                    .bind("a", first.accountId())
                    .bind("n", first.name())
                    .bind("v", first.version())
                    .bind("by", first.createdBy())
                    .bind("at", Rows.timestamp(first.createdAt()))
                    .execute();
            insertVersion(h, first);
        });
    }

    /**
     * Makes {@code next} the current version, if the current one is still {@code next.version() - 1};
     * false when another edit came first or the profile is gone.
     */
    public boolean addVersion(ProfileVersion next) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE delegate_profile SET current_version = :v, name = :n, "
                            + "updated_at = :at WHERE id = :id AND account_id = :a AND current_version = :previous")
                    .bind("v", next.version())
                    .bind("n", next.name())
                    .bind("at", Rows.timestamp(next.createdAt()))
                    .bind("id", next.profileId())
                    .bind("a", next.accountId())
                    .bind("previous", next.version() - 1)
                    .execute();
            if (changed == 0) {
                return false;
            }
            insertVersion(h, next);
            return true;
        });
    }

    public Optional<DelegateProfile> find(String accountId, String id) {
        return profiles.findInAccount(accountId, "p.id", id);
    }

    public Optional<DelegateProfile> findByName(String accountId, String name) {
        return profiles.findInAccount(accountId, "p.name", name);
    }

    /** The account's profiles by name. */
    public List<DelegateProfile> list(String accountId) {
        return profiles.listInAccount(accountId, "p.name");
    }

    /** Every profile of every account, for the in-memory view. */
    public List<DelegateProfile> listAll() {
        return profiles.listAll();
    }

    /** Every version of a profile, newest first; empty when there is no such profile in the account. */
    public List<ProfileVersion> versions(String accountId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delegate_profile_version WHERE account_id = :a "
                        + "AND profile_id = :id ORDER BY version DESC")
                .bind("a", accountId)
                .bind("id", id)
                .map(VERSION)
                .list());
    }

    /** Deletes a profile and its versions; false when there was none. A group still using it is an error. */
    public boolean delete(String accountId, String id) {
        return profiles.deleteInAccount(accountId, id);
    }

    /**
     * The profile with this name, created empty and not required if it does not exist yet (the way
     * groups are created on first use). Two delegates naming a new profile at once get the same one.
     */
    public DelegateProfile getOrCreate(String accountId, String name, String actor, Instant now) {
        Optional<DelegateProfile> existing = findByName(accountId, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = DelegateProfile.PRIMARY.equals(name)
                ? DelegateProfile.primaryId(accountId)
                : org.opendelegate.manager.security.Secrets.newId();
        String description = DelegateProfile.PRIMARY.equals(name)
                ? "The default profile: no setup script."
                : "Created when a delegate asked for it (DELEGATE_PROFILE); add a script to prepare its delegates.";
        ProfileVersion first =
                new ProfileVersion(id, 1, accountId, name, description, "", List.of(), false, 600, actor, now);
        try {
            insert(first);
            return new DelegateProfile(id, accountId, actor, now, now, first);
        } catch (UnableToExecuteStatementException e) {
            if (isDuplicateName(e)) {
                return findByName(accountId, name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Which group uses which profile instead of its delegates' own choice: group id → profile id. */
    public Map<String, String> groupProfiles() {
        Map<String, String> result = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT id, profile_id FROM delegate_group WHERE profile_id IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getString("profile_id")))
                .forEach(e -> result.put(e.getKey(), e.getValue())));
        return result;
    }

    /** Sets (or with null clears) a group's profile; false when there is no such group in the account. */
    public boolean setGroupProfile(String accountId, String groupId, String profileId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delegate_group SET profile_id = :p, updated_at = :at "
                                + "WHERE account_id = :a AND id = :id")
                        .bind("p", profileId)
                        .bind("at", Rows.timestamp(now))
                        .bind("a", accountId)
                        .bind("id", groupId)
                        .execute())
                == 1;
    }

    /** True when the exception is a second profile of the same name in one account. */
    public static boolean isDuplicateName(Throwable e) {
        return Rows.isUniqueViolation(e);
    }

    private static void insertVersion(Handle h, ProfileVersion v) {
        h.createUpdate("INSERT INTO delegate_profile_version (profile_id, version, account_id, name, description, "
                        + "script, selectors, required, timeout_seconds, created_by, created_at) VALUES (:id, :v, :a, "
                        + ":n, :d, :s, :sel, :r, :t, :by, :at)")
                .bind("id", v.profileId())
                .bind("v", v.version())
                .bind("a", v.accountId())
                .bind("n", v.name())
                .bind("d", v.description())
                .bind("s", v.script())
                .bind("sel", Rows.json(v.selectors()))
                .bind("r", v.required())
                .bind("t", v.timeoutSeconds())
                .bind("by", v.createdBy())
                .bind("at", Rows.timestamp(v.createdAt()))
                .execute();
    }
}
