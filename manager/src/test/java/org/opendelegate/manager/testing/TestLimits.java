package org.opendelegate.manager.testing;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.opendelegate.manager.config.LimitsConfig;
import org.opendelegate.manager.limits.LimitRefusals;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.limits.Rates;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.store.AccountCounts;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.RateBucketDao;

/** Quotas and rates at their defaults, for tests that build domain services without a Manager. */
public final class TestLimits {
    private TestLimits() {}

    public static Quotas quotas(Jdbi jdbi, Clock clock) {
        return new Quotas(new AccountCounts(jdbi), LimitsConfig.DEFAULTS, refusals(jdbi, clock));
    }

    public static Rates rates(Jdbi jdbi, Clock clock) {
        return new Rates(LimitsConfig.DEFAULTS, refusals(jdbi, clock), new RateBucketDao(jdbi), clock);
    }

    private static LimitRefusals refusals(Jdbi jdbi, Clock clock) {
        return new LimitRefusals(new AuditDao(jdbi), new ManagerMetrics(), clock);
    }
}
