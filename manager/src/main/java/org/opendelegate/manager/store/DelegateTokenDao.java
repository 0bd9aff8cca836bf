package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Delegate tokens. */
public final class DelegateTokenDao {
    private static final RowMapper<DelegateToken> MAPPER = (rs, ctx) -> new DelegateToken(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("name"),
            rs.getString("group_id"),
            rs.getString("created_by"),
            Rows.instant(rs, "created_at"),
            Rows.instant(rs, "last_used_at"),
            Rows.instant(rs, "revoked_at"));

    private final Jdbi jdbi;

    public DelegateTokenDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(DelegateToken token, String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO delegate_token (id, account_id, name, token_hash, group_id, "
                        + "created_by, created_at) VALUES (:id, :a, :name, :hash, :group, :by, :at)")
                .bind("id", token.id())
                .bind("a", token.accountId())
                .bind("name", token.name())
                .bind("hash", tokenHash)
                .bind("group", token.groupId())
                .bind("by", token.createdBy())
                .bind("at", Rows.timestamp(token.createdAt()))
                .execute());
    }

    public Optional<DelegateToken> findByHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delegate_token WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map(MAPPER)
                .findOne());
    }

    public Optional<DelegateToken> find(String accountId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delegate_token WHERE account_id = :a AND id = :id")
                .bind("a", accountId)
                .bind("id", id)
                .map(MAPPER)
                .findOne());
    }

    public Optional<DelegateToken> findByName(String accountId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delegate_token WHERE account_id = :a AND name = :n")
                .bind("a", accountId)
                .bind("n", name)
                .map(MAPPER)
                .findOne());
    }

    public List<DelegateToken> list(String accountId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM delegate_token WHERE account_id = :a ORDER BY created_at, name")
                        .bind("a", accountId)
                        .map(MAPPER)
                        .list());
    }

    /** Revokes the token; false when it does not exist or was already revoked. */
    public boolean revoke(String accountId, String id, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delegate_token SET revoked_at = :at "
                                + "WHERE account_id = :a AND id = :id AND revoked_at IS NULL")
                        .bind("at", Rows.timestamp(at))
                        .bind("a", accountId)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    public void touch(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delegate_token SET last_used_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("at", Rows.timestamp(at))
                .execute());
    }
}
