package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** API keys, looked up by the hash of the presented secret. */
public final class ApiKeyDao {
    private final Table<ApiKey> keys;

    public ApiKeyDao(Jdbi jdbi) {
        this.keys = new Table<>(jdbi, "api_key", ConstructorMapper.of(ApiKey.class));
    }

    public void insert(ApiKey key, String keyHash) {
        keys.insert("id, account_id, name, key_hash, role, created_at", key, Map.of("keyHash", keyHash));
    }

    /** The key with this hash, revoked or not. */
    public Optional<ApiKey> findByHash(String keyHash) {
        return keys.findBy("key_hash", keyHash);
    }

    public void touch(String id, Instant at) {
        keys.stamp("id", id, "last_used_at", at);
    }
}
