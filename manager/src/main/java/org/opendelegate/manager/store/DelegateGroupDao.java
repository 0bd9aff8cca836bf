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
     * The group with this name, created with no selectors if it does not exist yet. Two delegates of a
     * new group registering at once both end up with the same group.
     */
    public DelegateGroup getOrCreate(String accountId, String name, Instant now) {
        Optional<DelegateGroup> existing = findByName(accountId, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        DelegateGroup group =
                new DelegateGroup(Secrets.newId(), accountId, name, List.of(), GroupScopes.NONE, now, now);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO delegate_group (id, account_id, name, selectors, "
                            + "created_at, updated_at) VALUES (:id, :a, :n, :s, :at, :at)")
                    .bind("id", group.id())
                    .bind("a", accountId)
                    .bind("n", name)
                    .bind("s", Rows.json(group.selectors()))
                    .bind("at", Rows.timestamp(now))
                    .execute());
            return group;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) {
                return findByName(accountId, name).orElseThrow(() -> e);
            }
            throw e;
        }
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
