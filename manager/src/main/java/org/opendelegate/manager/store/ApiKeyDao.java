package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** API keys, looked up by the hash of the presented secret. */
public final class ApiKeyDao {
    private static final RowMapper<ApiKey> MAPPER = ConstructorMapper.of(ApiKey.class);

    private final Jdbi jdbi;
    private final Table<ApiKey> keys;

    public ApiKeyDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.keys = new Table<>(jdbi, "api_key", MAPPER);
    }

    public void insert(ApiKey key, String keyHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_key (id, account_id, name, key_hash, role, created_at) "
                        + "VALUES (:id, :accountId, :name, :hash, :role, :createdAt)")
                .bindMethods(key)
                .bind("hash", keyHash)
                .execute());
    }

    /** The key with this hash, revoked or not. */
    public Optional<ApiKey> findByHash(String keyHash) {
        return keys.findBy("key_hash", keyHash);
    }

    public void touch(String id, Instant at) {
        keys.stamp("id", id, "last_used_at", at);
    }
}
