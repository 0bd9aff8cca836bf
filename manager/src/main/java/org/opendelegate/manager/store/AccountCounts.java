package org.opendelegate.manager.store;

import org.jdbi.v3.core.Jdbi;

/** How many of each counted thing an account holds now: what quotas compare against. */
public final class AccountCounts {

    /** The things quotas count, each with the rows that count. */
    public enum Counted {
        DELEGATES("SELECT COUNT(*) FROM delegate WHERE account_id = :a"),
        GROUPS("SELECT COUNT(*) FROM delegate_group WHERE account_id = :a"),
        PROFILES("SELECT COUNT(*) FROM delegate_profile WHERE account_id = :a"),
        // A revoked token lets nothing in any more: it does not take room.
        DELEGATE_TOKENS("SELECT COUNT(*) FROM delegate_token WHERE account_id = :a AND revoked_at IS NULL"),
        CLOUD_PROVIDERS("SELECT COUNT(*) FROM cloud_provider WHERE account_id = :a"),
        SECRETS("SELECT COUNT(*) FROM account_secret WHERE account_id = :a");

        private final String sql;

        Counted(String sql) {
            this.sql = sql;
        }
    }

    private final Jdbi jdbi;

    public AccountCounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public long count(Counted what, String accountId) {
        return jdbi.withHandle(h ->
                h.createQuery(what.sql).bind("a", accountId).mapTo(Long.class).one());
    }
}
