package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.opendelegate.manager.security.Role;

/** API keys, looked up by the hash of the presented secret. */
public final class ApiKeyDao {
    private static final RowMapper<ApiKey> MAPPER = (rs, ctx) -> new ApiKey(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("name"),
            Role.valueOf(rs.getString("role")),
            Rows.instant(rs, "created_at"),
            Rows.instant(rs, "last_used_at"),
            Rows.instant(rs, "revoked_at"));

    private final Jdbi jdbi;

    public ApiKeyDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(ApiKey key, String keyHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_key (id, account_id, name, key_hash, role, created_at) "
                        + "VALUES (:id, :account, :name, :hash, :role, :at)")
                .bind("id", key.id())
                .bind("account", key.accountId())
                .bind("name", key.name())
                .bind("hash", keyHash)
                .bind("role", key.role().name())
                .bind("at", Rows.timestamp(key.createdAt()))
                .execute());
    }

    /** The key with this hash, revoked or not. */
    public Optional<ApiKey> findByHash(String keyHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_key WHERE key_hash = :hash")
                .bind("hash", keyHash)
                .map(MAPPER)
                .findOne());
    }

    public void touch(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_key SET last_used_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("at", Rows.timestamp(at))
                .execute());
    }
}
