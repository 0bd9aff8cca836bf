package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** API keys, looked up by the hash of the presented secret. */
public final class ApiKeyDao {
    private final Jdbi jdbi;
    private final Table<ApiKey> keys;

    public ApiKeyDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.keys = new Table<>(jdbi, "api_key", ConstructorMapper.of(ApiKey.class));
    }

    public void insert(ApiKey key, String keyHash) {
        keys.insert("id, account_id, name, key_hash, role, created_at, user_id", key, Map.of("keyHash", keyHash));
    }

    /** The key with this hash, revoked or not. */
    public Optional<ApiKey> findByHash(String keyHash) {
        return keys.findBy("key_hash", keyHash);
    }

    public Optional<ApiKey> find(String accountId, String id) {
        return keys.findInAccount(accountId, "id", id);
    }

    /** A user's keys, revoked ones too, oldest first. */
    public List<ApiKey> listForUser(String userId) {
        return keys.listBy("user_id", userId, "created_at, id");
    }

    /** Revokes one key; false when it is not in this account or was revoked already. */
    public boolean revoke(String accountId, String id, Instant at) {
        return keys.stampOnce(accountId, id, "revoked_at", at);
    }

    /** Revokes every unrevoked key of a user (when the user is deleted); returns how many. */
    public int revokeForUser(String userId, Instant at) {
        return jdbi.withHandle(
                h -> h.createUpdate("UPDATE api_key SET revoked_at = :at WHERE user_id = :user AND revoked_at IS NULL")
                        .bind("at", Rows.timestamp(at))
                        .bind("user", userId)
                        .execute());
    }

    public void touch(String id, Instant at) {
        keys.stamp("id", id, "last_used_at", at);
    }
}
