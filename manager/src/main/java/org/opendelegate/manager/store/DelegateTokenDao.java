package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Delegate tokens, and which delegates registered with each. */
public final class DelegateTokenDao {
    /** The columns a new token is written with (the hash is bound separately). */
    private static final String COLUMNS = "id, account_id, name, token_hash, group_id, created_by, created_at, "
            + "expires_at, max_delegates, single_use, replaces";

    /**
     * A delegate that registered with a token, as the token pages list it.
     *
     * @param disconnectedAt when its session ended; null while it has one
     */
    public record TokenUser(
            String id, String name, String groupName, Instant lastHeartbeatAt, Instant disconnectedAt) {}

    private final Jdbi jdbi;
    private final Table<DelegateToken> tokens;

    public DelegateTokenDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.tokens = new Table<>(jdbi, "delegate_token", ConstructorMapper.of(DelegateToken.class));
    }

    public void insert(DelegateToken token, String tokenHash) {
        tokens.insert(COLUMNS, token, Map.of("tokenHash", tokenHash));
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

    /**
     * Uses up a single-use token for one delegate, in one conditional update: of two registrations racing
     * for the same token exactly one gets true. False when the token is not single-use or already used.
     */
    public boolean consume(String id, String delegateId, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delegate_token SET used_at = :at, used_by = :delegate "
                                + "WHERE id = :id AND single_use = TRUE AND used_at IS NULL")
                        .bind("at", Rows.timestamp(at))
                        .bind("delegate", delegateId)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    /**
     * Rotates a token in one transaction: stores its successor and marks the old token replaced, expiring
     * at {@code oldExpiresAt} (or earlier, when it was set to expire earlier already). False, with
     * nothing written, when the old token is revoked or was rotated already (a concurrent rotation won).
     */
    public boolean rotate(DelegateToken successor, String successorHash, Instant oldExpiresAt) {
        return jdbi.inTransaction(h -> {
            int marked = h.createUpdate("UPDATE delegate_token SET replaced_by = :successor, expires_at = "
                            + "CASE WHEN expires_at IS NOT NULL AND expires_at < :at THEN expires_at ELSE :at END "
                            + "WHERE account_id = :account AND id = :id AND replaced_by IS NULL AND revoked_at IS NULL")
                    .bind("successor", successor.id())
                    .bind("at", Rows.timestamp(oldExpiresAt))
                    .bind("account", successor.accountId())
                    .bind("id", successor.replaces())
                    .execute();
            if (marked != 1) {
                return false;
            }
            insert(successor, successorHash);
            return true;
        });
    }

    /**
     * How many delegates registered with the token are connected: their session has not ended and they
     * heartbeat after {@code silentBefore}. {@code exceptDelegateId} (the delegate registering) is left out.
     */
    public int connectedDelegates(String accountId, String tokenId, Instant silentBefore, String exceptDelegateId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + DelegateDao.WITH_LIVENESS
                        + " WHERE d.account_id = :account "
                        + "AND d.token_id = :token AND d.disconnected_at IS NULL AND l.last_heartbeat_at > :silent "
                        + "AND d.id <> :except")
                .bind("account", accountId)
                .bind("token", tokenId)
                .bind("silent", Rows.timestamp(silentBefore))
                .bind("except", exceptDelegateId)
                .mapTo(Integer.class)
                .one());
    }

    /** For each token of the account with connected delegates, how many are connected. */
    public Map<String, Integer> connectedDelegatesByToken(String accountId, Instant silentBefore) {
        Map<String, Integer> counts = new HashMap<>();
        jdbi.withHandle(h -> h.createQuery("SELECT d.token_id, COUNT(*) AS n FROM " + DelegateDao.WITH_LIVENESS
                                + " WHERE d.account_id = :account "
                                + "AND d.token_id IS NOT NULL AND d.disconnected_at IS NULL "
                                + "AND l.last_heartbeat_at > :silent GROUP BY d.token_id")
                        .bind("account", accountId)
                        .bind("silent", Rows.timestamp(silentBefore))
                        .map((rs, ctx) -> Map.entry(rs.getString("token_id"), rs.getInt("n")))
                        .list())
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** The delegates whose last registration presented this token, by group and name. */
    public List<TokenUser> usersOf(String accountId, String tokenId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.id, d.name, g.name AS group_name, l.last_heartbeat_at, "
                        + "d.disconnected_at FROM " + DelegateDao.WITH_LIVENESS
                        + " JOIN delegate_group g ON g.id = d.group_id "
                        + "WHERE d.account_id = :account AND d.token_id = :token ORDER BY g.name, d.name")
                .bind("account", accountId)
                .bind("token", tokenId)
                .map((rs, ctx) -> new TokenUser(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("group_name"),
                        Rows.instant(rs, "last_heartbeat_at"),
                        Rows.instant(rs, "disconnected_at")))
                .list());
    }
}
