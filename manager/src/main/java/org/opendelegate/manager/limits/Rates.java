package org.opendelegate.manager.limits;

import java.time.Clock;
import java.time.Duration;
import org.opendelegate.manager.config.LimitsConfig;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.RateBucketDao;

/**
 * Rate limits on the delegate protocol: registrations per delegate token and log lines per delegate. A
 * refusal is {@code LIMIT_REACHED} (429) with Retry-After, and changes nothing: the caller sends the same
 * request again later (the delegate's retrier honours Retry-After and keeps the lines it could not send).
 * Registrations are counted in the store, shared by all replicas; log lines in each replica (see
 * {@link TokenBuckets} and docs/operations.md).
 */
public final class Rates {
    static final String REGISTRATIONS = "OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE";
    static final String LOG_LINES = "OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE";
    /** How many seconds of log lines a delegate may send at once. */
    static final int LOG_BURST_SECONDS = 5;

    private final LimitsConfig limits;
    private final LimitRefusals refusals;
    private final TokenBuckets registrations;
    private final TokenBuckets logLines;

    public Rates(LimitsConfig limits, LimitRefusals refusals, RateBucketDao sharedBuckets, Clock clock) {
        this.limits = limits;
        this.refusals = refusals;
        // Registrations are rare and must hold however many replicas a fleet's starts are spread over: counted
        // in the store. Log lines are many: counted per replica (N replicas let a delegate send N times the rate).
        this.registrations = TokenBuckets.shared(
                (double) limits.tokenRegistrationsPerMinute(),
                limits.tokenRegistrationsPerMinute() / 60.0,
                clock,
                sharedBuckets,
                "registrations:");
        this.logLines = TokenBuckets.perReplica(
                (double) limits.logLinesPerSecondPerDelegate() * LOG_BURST_SECONDS,
                (double) limits.logLinesPerSecondPerDelegate(),
                clock);
    }

    /** Counts one registration with a delegate token; refuses when the token registered too often. */
    public void registration(String accountId, String tokenId, String tokenName, String actor) {
        Duration wait = registrations.take(tokenId, 1);
        if (!wait.isZero()) {
            throw refusals.refuse(
                    DomainProblem.limitReached(
                            REGISTRATIONS,
                            limits.tokenRegistrationsPerMinute(),
                            wait,
                            "The delegate token `" + tokenName + "` registered more than "
                                    + limits.tokenRegistrationsPerMinute() + " delegates in a minute; try again in "
                                    + seconds(wait) + " s. A fleet that starts all at once is let in at this pace;"
                                    + " the operator can raise " + REGISTRATIONS + "."),
                    accountId,
                    actor,
                    "delegate-token",
                    tokenId);
        }
    }

    /** Counts a delegate's log lines for one task; refuses the whole batch when it sends too fast. */
    public void logLines(String accountId, String delegateId, String taskId, int lines) {
        if (lines == 0) {
            return;
        }
        Duration wait = logLines.take(delegateId, lines);
        if (!wait.isZero()) {
            throw refusals.refuse(
                    DomainProblem.limitReached(
                            LOG_LINES,
                            limits.logLinesPerSecondPerDelegate(),
                            wait,
                            "This delegate sends more than " + limits.logLinesPerSecondPerDelegate()
                                    + " log lines per second; none of these " + lines + " lines were stored. Send"
                                    + " them again in " + seconds(wait) + " s."),
                    accountId,
                    "delegate:" + delegateId,
                    "task",
                    taskId);
        }
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
