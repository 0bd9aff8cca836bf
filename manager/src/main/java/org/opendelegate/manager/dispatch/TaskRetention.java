package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
 * #BATCH} tasks, their log lines {@link #LINES_PER_TRANSACTION} at a time) for at most about {@link #BUDGET} a look,
 * so that removing a long history after an upgrade never holds the store for long; what is left waits for the next
 * look, {@link #AGAIN_AFTER} later. Each replica looks: two replicas that remove the same tasks at once each remove
 * what the other left. Each account's removals of one look are one audit event, {@code tasks.removed}.
 */
public final class TaskRetention {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRetention.class);

    static final Duration EVERY = Duration.ofMinutes(5);
    static final int BATCH = 200;
    static final int LINES_PER_TRANSACTION = 5_000;
    static final Duration BUDGET = Duration.ofSeconds(20);
    /** When a look ran out of time, the next one comes this soon, so that removal keeps up with a busy Manager. */
    static final Duration AGAIN_AFTER = Duration.ofSeconds(30);

    private static final List<TaskState> ENDED =
            Arrays.stream(TaskState.values()).filter(TaskState::isTerminal).toList();

    private final Optional<Duration> retention;
    private final AccountDao accounts;
    private final TaskDao tasks;
    private final AuditDao audit;
    private final Clock clock;
    private final Duration budget;
    private Instant nextLook; // only the job's runs use it, one after the other

    /** @param retention how long an ended task is kept; empty keeps every task */
    public TaskRetention(
            Optional<Duration> retention, AccountDao accounts, TaskDao tasks, AuditDao audit, Clock clock) {
        this(retention, accounts, tasks, audit, clock, BUDGET);
    }

    TaskRetention(
            Optional<Duration> retention,
            AccountDao accounts,
            TaskDao tasks,
            AuditDao audit,
            Clock clock,
            Duration budget) {
        this.retention = retention;
        this.accounts = accounts;
        this.tasks = tasks;
        this.audit = audit;
        this.clock = clock;
        this.budget = budget;
        this.nextLook = clock.instant().plus(Duration.ofMinutes(1));
    }

    /**
     * Called often; looks for tasks to remove once {@link #EVERY} has passed by the Manager's clock, or {@link
     * #AGAIN_AFTER} when the last look ran out of time.
     */
    public void tick() {
        Instant now = clock.instant();
        if (retention.isEmpty() || now.isBefore(nextLook)) {
            return;
        }
        nextLook = now.plus(EVERY);
        if (!removeEndedBefore(now.minus(retention.get()), System.nanoTime() + budget.toNanos())) {
            nextLook = now.plus(AGAIN_AFTER);
        }
    }

    /**
     * Removes what ended before the cutoff, account by account, a batch at a time, until done or the deadline
     * passes; at least one batch, so that every look gets on.
     *
     * @return true when nothing that ended before the cutoff is left
     */
    boolean removeEndedBefore(Instant cutoff, long deadlineNanos) {
        for (Account account : accounts.list()) {
            int removed = 0;
            boolean outOfTime = false;
            for (TaskState state : ENDED) {
                List<String> batch = tasks.endedBefore(account.id(), state, cutoff, BATCH);
                while (!batch.isEmpty()) {
                    removed += remove(batch);
                    batch = batch.size() < BATCH ? List.of() : tasks.endedBefore(account.id(), state, cutoff, BATCH);
                    if (!batch.isEmpty() && System.nanoTime() >= deadlineNanos) {
                        outOfTime = true;
                        break;
                    }
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
                return false;
            }
        }
        return true;
    }

    /** Removes one batch of ended tasks; returns how many it removed. */
    private int remove(List<String> batch) {
        // A task may have written a great many lines: they go a bounded transaction at a time, before the tasks.
        while (tasks.deleteLogLines(batch, LINES_PER_TRANSACTION) == LINES_PER_TRANSACTION) {
            LOG.debug("Removing the log lines of {} ended tasks", batch.size());
        }
        return tasks.deleteEnded(batch);
    }
}
