package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The routing history by affinity key: who succeeded lately, who failed for a reason of its own. */
public final class AffinityDao {
    private final Jdbi jdbi;

    public AffinityDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The history of every delegate with this key, by delegate id. */
    public Map<String, DelegateAffinity> forKey(String accountId, String affinityKey) {
        Map<String, DelegateAffinity> result = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM delegate_affinity WHERE account_id = :a AND affinity_key = :k")
                .bind("a", accountId)
                .bind("k", affinityKey)
                .map((rs, ctx) -> new DelegateAffinity(
                        rs.getString("delegate_id"),
                        Rows.instant(rs, "last_success_at"),
                        Rows.instant(rs, "last_capability_failure_at"),
                        rs.getString("last_failure_message")))
                .forEach(a -> result.put(a.delegateId(), a)));
        return result;
    }

    public void recordSuccess(String accountId, String affinityKey, String delegateId, Instant at) {
        upsert(accountId, affinityKey, delegateId, "last_success_at = :at", at, null);
    }

    public void recordCapabilityFailure(
            String accountId, String affinityKey, String delegateId, Instant at, String message) {
        String trimmed = message == null ? null : message.substring(0, Math.min(1000, message.length()));
        upsert(
                accountId,
                affinityKey,
                delegateId,
                "last_capability_failure_at = :at, last_failure_message = :m",
                at,
                trimmed);
    }

    // Portable upsert: update, else insert, and if another replica inserted first, update again.
    private void upsert(String accountId, String key, String delegateId, String set, Instant at, String message) {
        jdbi.useHandle(h -> {
            if (update(h, accountId, key, delegateId, set, at, message) == 0) {
                try {
                    h.createUpdate("INSERT INTO delegate_affinity (account_id, affinity_key, delegate_id) "
                                    + "VALUES (:a, :k, :d)")
                            .bind("a", accountId)
                            .bind("k", key)
                            .bind("d", delegateId)
                            .execute();
                } catch (UnableToExecuteStatementException e) {
                    if (!Rows.isUniqueViolation(e)) {
                        throw e;
                    }
                }
                update(h, accountId, key, delegateId, set, at, message);
            }
        });
    }

    private static int update(
            Handle h, String accountId, String key, String delegateId, String set, Instant at, String message) {
        var update = h.createUpdate("UPDATE delegate_affinity SET " + set
                        + " WHERE account_id = :a AND affinity_key = :k AND delegate_id = :d")
                .bind("a", accountId)
                .bind("k", key)
                .bind("d", delegateId)
                .bind("at", Rows.timestamp(at));
        if (set.contains(":m")) {
            update.bind("m", message);
        }
        return update.execute();
    }
}
