package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendelegate.manager.security.Secrets;

/** Delegate groups. */
public final class DelegateGroupDao {
    private static final RowMapper<DelegateGroup> MAPPER = (rs, ctx) -> new DelegateGroup(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("name"),
            Rows.stringList(rs, "selectors"),
            Rows.read(rs, "scopes", GroupScopes.class, GroupScopes.NONE),
            rs.getBoolean("locked"),
            Rows.instant(rs, "created_at"),
            Rows.instant(rs, "updated_at"));

    private final Jdbi jdbi;
    private final Table<DelegateGroup> groups;

    public DelegateGroupDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.groups = new Table<>(jdbi, "delegate_group", MAPPER);
    }

    public Optional<DelegateGroup> find(String accountId, String id) {
        return groups.findInAccount(accountId, "id", id);
    }

    public Optional<DelegateGroup> findByName(String accountId, String name) {
        return groups.findInAccount(accountId, "name", name);
    }

    public List<DelegateGroup> list(String accountId) {
        return groups.listInAccount(accountId, "name");
    }

    /**
     * The group with this name, created unlocked with no selectors if it does not exist yet (a delegate's
     * registration). Two delegates of a new group registering at once both end up with the same group.
     */
    public DelegateGroup getOrCreate(String accountId, String name, Instant now) {
        return getOrCreate(accountId, name, false, now);
    }

    /**
     * The group with this name, created with no selectors if it does not exist yet.
     *
     * @param lockIfNew whether a group created here is locked; an existing group keeps its lock
     */
    public DelegateGroup getOrCreate(String accountId, String name, boolean lockIfNew, Instant now) {
        Optional<DelegateGroup> existing = findByName(accountId, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        DelegateGroup group =
                new DelegateGroup(Secrets.newId(), accountId, name, List.of(), GroupScopes.NONE, lockIfNew, now, now);
        try {
            insert(group);
            return group;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) {
                return findByName(accountId, name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Inserts a new group; false when the account already has a group of that name. */
    public boolean create(DelegateGroup group) {
        try {
            insert(group);
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Locks or unlocks the group; false when no such group exists in the account. */
    public boolean updateLocked(String accountId, String id, boolean locked, Instant now) {
        return groups.updateInAccount(
                accountId,
                id,
                "locked = :v, updated_at = :at",
                u -> u.bind("v", locked).bind("at", Rows.timestamp(now)));
    }

    private void insert(DelegateGroup group) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO delegate_group (id, account_id, name, selectors, "
                        + "locked, created_at, updated_at) VALUES (:id, :a, :n, :s, :locked, :at, :updated)")
                .bind("id", group.id())
                .bind("a", group.accountId())
                .bind("n", group.name())
                .bind("s", Rows.json(group.selectors()))
                .bind("locked", group.locked())
                .bind("at", Rows.timestamp(group.createdAt()))
                .bind("updated", Rows.timestamp(group.updatedAt()))
                .execute());
    }

    /** Replaces the group's scopes; false when no such group exists in the account. */
    public boolean updateScopes(String accountId, String id, GroupScopes scopes, Instant now) {
        return updateJson(accountId, id, "scopes", scopes, now);
    }

    /** Replaces the group's selectors; false when no such group exists in the account. */
    public boolean updateSelectors(String accountId, String id, List<String> selectors, Instant now) {
        return updateJson(accountId, id, "selectors", selectors, now);
    }

    private boolean updateJson(String accountId, String id, String column, Object value, Instant now) {
        return groups.updateInAccount(
                accountId,
                id,
                column + " = :v, updated_at = :at",
                u -> u.bind("v", Rows.json(value)).bind("at", Rows.timestamp(now)));
    }
}
