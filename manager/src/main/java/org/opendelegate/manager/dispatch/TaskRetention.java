package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.config.Settings;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the tasks that ended longer ago than {@code OPENDELEGATE_TASK_RETENTION}, with their attempts, log lines
 * and secret references, so that the store holds a bounded history instead of every task ever run. A task that
 * ran a deployment stays with the deployment; a task that has not ended is never removed, however old.
 *
 * <p>It looks every {@link #EVERY} by the Manager's clock, and works in small transactions (a batch of {@link
 * #BATCH} tasks, their log lines {@link #LINES_PER_TRANSACTION} at a time) for at most {@link #BUDGET} a look, so
 * that removing a long history after an upgrade never holds the store for long; what is left waits for the next
 * look. Each replica looks: two replicas that remove the same tasks at once each remove what the other left.
 * Each account's removals of one look are one audit event, {@code tasks.removed}.
 */
public final class TaskRetention {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRetention.class);

    static final Duration EVERY = Duration.ofMinutes(5);
    static final int BATCH = 200;
    static final int LINES_PER_TRANSACTION = 5_000;
    static final Duration BUDGET = Duration.ofSeconds(20);

    private static final List<TaskState> ENDED = java.util.Arrays.stream(TaskState.values())
            .filter(TaskState::isTerminal)
            .toList();

    private final Optional<Duration> retention;
    private final AccountDao accounts;
    private final TaskDao tasks;
    private final AuditDao audit;
    private final Clock clock;
    private Instant nextLook; // only the background thread uses it

    /** @param retention how long an ended task is kept; empty keeps every task */
    public TaskRetention(
            Optional<Duration> retention, AccountDao accounts, TaskDao tasks, AuditDao audit, Clock clock) {
        this.retention = retention;
        this.accounts = accounts;
        this.tasks = tasks;
        this.audit = audit;
        this.clock = clock;
        this.nextLook = clock.instant().plus(Duration.ofMinutes(1));
    }

    /** Called often; looks for tasks to remove once {@link #EVERY} has passed by the Manager's clock. */
    public void tick() {
        Instant now = clock.instant();
        if (retention.isEmpty() || now.isBefore(nextLook)) {
            return;
        }
        nextLook = now.plus(EVERY);
        removeEndedBefore(now.minus(retention.get()), System.nanoTime() + BUDGET.toNanos());
    }

    /** Removes what ended before the cutoff, account by account, until done or the deadline passes. */
    void removeEndedBefore(Instant cutoff, long deadlineNanos) {
        for (Account account : accounts.list()) {
            int removed = 0;
            boolean outOfTime = false;
            for (TaskState state : ENDED) {
                List<String> batch = tasks.endedBefore(account.id(), state, cutoff, BATCH);
                while (!batch.isEmpty()) {
                    if (System.nanoTime() >= deadlineNanos) {
                        outOfTime = true;
                        break;
                    }
                    // A task may have written millions of lines: they go a bounded transaction at a time.
                    while (tasks.deleteLogLines(batch, LINES_PER_TRANSACTION) == LINES_PER_TRANSACTION) {
                        LOG.debug("Removing the log lines of {} ended tasks", batch.size());
                    }
                    removed += tasks.deleteEnded(batch);
                    batch = batch.size() < BATCH ? List.of() : tasks.endedBefore(account.id(), state, cutoff, BATCH);
                }
                if (outOfTime) {
                    break;
                }
            }
            if (removed > 0) {
                String detail = "removed " + removed + " tasks that ended before " + cutoff
                        + " (OPENDELEGATE_TASK_RETENTION=" + Settings.format(retention.orElseThrow())
                        + "), with their attempts, log lines and secret references"
                        + (outOfTime ? "; more are left for the next look" : "");
                audit.record(account.id(), clock.instant(), "system", "tasks.removed", "account", account.id(), detail);
                LOG.info("Account {}: {}", account.id(), detail);
            }
            if (outOfTime) {
                return;
            }
        }
    }
}
