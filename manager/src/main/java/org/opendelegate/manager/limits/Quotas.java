package org.opendelegate.manager.limits;

import java.util.List;
import org.opendelegate.manager.config.LimitsConfig;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.AccountCounts;

/**
 * Per-account quotas, checked where each thing is created, before anything is written: a refused
 * creation changes nothing. Two creations racing at the last free place may both pass (the count is read,
 * not locked); a quota is a bound on abuse, not an exact number, and one over is harmless.
 */
public final class Quotas {
    private final AccountCounts counts;
    private final LimitsConfig limits;
    private final LimitRefusals refusals;

    public Quotas(AccountCounts counts, LimitsConfig limits, LimitRefusals refusals) {
        this.counts = counts;
        this.limits = limits;
        this.refusals = refusals;
    }

    /**
     * Refuses with {@code QUOTA_REACHED} (409) when the account has no room for one more.
     *
     * @param actor who asked, for the audit trail
     * @param name the name of the thing that was to be created
     */
    public void requireRoom(Quota quota, String accountId, String actor, String name) {
        QuotaUsage usage = usage(accountId, quota);
        if (usage.full()) {
            throw refusals.refuse(
                    DomainProblem.quotaReached(
                            quota.setting(),
                            usage.max(),
                            "This account has " + usage.text() + ", its quota; `" + name + "` was not created."
                                    + " Remove " + quota.many() + " it no longer needs, or ask the operator to raise "
                                    + quota.setting() + "."),
                    accountId,
                    actor,
                    quota.one().replace(' ', '-'),
                    name);
        }
    }

    /** How much of one quota the account uses. */
    public QuotaUsage usage(String accountId, Quota quota) {
        return new QuotaUsage(quota, counts.count(quota.counted(), accountId), quota.max(limits));
    }

    /** How much of every quota the account uses. */
    public List<QuotaUsage> usage(String accountId) {
        return List.of(Quota.values()).stream().map(q -> usage(accountId, q)).toList();
    }
}
