package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The AWS identities (ARN patterns) a delegate group trusts for IAM registration, one list per group. A
 * group without a stored list trusts no AWS identity.
 */
public final class TrustedIdentityDao {
    private final Jdbi jdbi;

    public TrustedIdentityDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The group's trusted identities; empty when it has none. */
    public List<String> find(String accountId, String groupId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT identities FROM delegate_group_trusted_identities "
                        + "WHERE account_id = :a AND group_id = :g")
                .bind("a", accountId)
                .bind("g", groupId)
                .map((rs, ctx) -> Rows.stringList(rs, "identities"))
                .findOne()
                .orElse(List.of()));
    }

    /** Replaces the group's trusted identities (the group must exist in the account). */
    public void replace(String accountId, String groupId, List<String> identities, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM delegate_group_trusted_identities WHERE account_id = :a AND group_id = :g")
                    .bind("a", accountId)
                    .bind("g", groupId)
                    .execute();
            if (!identities.isEmpty()) {
                h.createUpdate("INSERT INTO delegate_group_trusted_identities (group_id, account_id, identities, "
                                + "updated_at) VALUES (:g, :a, :i, :at)")
                        .bind("g", groupId)
                        .bind("a", accountId)
                        .bind("i", Rows.json(identities))
                        .bind("at", Rows.timestamp(now))
                        .execute();
            }
        });
    }
}
