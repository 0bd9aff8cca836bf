package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Delegate tokens. */
public final class DelegateTokenDao {
    private final Table<DelegateToken> tokens;

    public DelegateTokenDao(Jdbi jdbi) {
        this.tokens = new Table<>(jdbi, "delegate_token", ConstructorMapper.of(DelegateToken.class));
    }

    public void insert(DelegateToken token, String tokenHash) {
        tokens.insert(
                "id, account_id, name, token_hash, group_id, created_by, created_at",
                token,
                Map.of("tokenHash", tokenHash));
    }

    public Optional<DelegateToken> findByHash(String tokenHash) {
        return tokens.findBy("token_hash", tokenHash);
    }

    public Optional<DelegateToken> find(String accountId, String id) {
        return tokens.findInAccount(accountId, "id", id);
    }

    public Optional<DelegateToken> findByName(String accountId, String name) {
        return tokens.findInAccount(accountId, "name", name);
    }

    public List<DelegateToken> list(String accountId) {
        return tokens.listInAccount(accountId, "created_at, name");
    }

    /** Revokes the token; false when it does not exist or was already revoked. */
    public boolean revoke(String accountId, String id, Instant at) {
        return tokens.stampOnce(accountId, id, "revoked_at", at);
    }

    public void touch(String id, Instant at) {
        tokens.stamp("id", id, "last_used_at", at);
    }
}
