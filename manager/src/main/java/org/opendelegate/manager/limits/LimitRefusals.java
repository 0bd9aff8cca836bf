package org.opendelegate.manager.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.AuditDao;

/**
 * The one way a limit refuses: every refusal is counted in {@code opendelegate_limit_refusals_total{limit}}
 * and audited as {@code limit.refused}. A client that keeps hitting a limit would otherwise write an audit
 * row per call, so the same limit, actor and target is audited at most once per {@link #AUDIT_EVERY}; the
 * counter counts every one.
 */
public final class LimitRefusals {
    static final Duration AUDIT_EVERY = Duration.ofMinutes(1);

    private final AuditDao audit;
    private final ManagerMetrics metrics;
    private final Clock clock;
    private final Cache<String, Boolean> recentlyAudited;

    public LimitRefusals(AuditDao audit, ManagerMetrics metrics, Clock clock) {
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.recentlyAudited = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(AUDIT_EVERY)
                .maximumSize(10_000)
                .build();
    }

    /**
     * Counts and audits a refusal, and returns it for the caller to throw.
     *
     * @param problem a {@link DomainProblem#limitReached} or {@link DomainProblem#quotaReached} problem
     * @param actor who was refused: {@code user:alice}, {@code api-key:ci}, {@code delegate-token:<name>}, ...
     * @param targetType what the refused call was about, e.g. {@code delegate-token} or {@code task}
     */
    public DomainProblem refuse(
            DomainProblem problem, String accountId, String actor, String targetType, String targetId) {
        String limit = String.valueOf(problem.extensions().get("limit"));
        metrics.limitRefused(limit);
        String key = accountId + '\n' + limit + '\n' + actor + '\n' + targetType + '\n' + targetId;
        if (recentlyAudited.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
            audit.record(
                    accountId,
                    clock.instant(),
                    actor,
                    "limit.refused",
                    targetType,
                    targetId,
                    "limit=" + limit + " value=" + problem.extensions().get("value") + ": " + problem.detail());
        }
        return problem;
    }
}
