package org.opendelegate.manager.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;

/**
 * The task counts by state that {@code /metrics} shows, counted in the background so that a scrape never reads the
 * store (the endpoint needs no credentials, and a count of every task takes 0.4–3 s per two million tasks).
 *
 * <p>Two counts, each owning its states:
 *
 * <ul>
 *   <li>{@link #countActive}: the tasks that are queued or running, a few rows of the state index; called every
 *       second, so these are at most about a second old.
 *   <li>{@link #countAll}: every state, a pass over the whole table; it publishes the ended states only, and waits
 *       {@link #SPACING} times its own duration (at least {@link #EVERY}) before the next pass, so that counting a
 *       long history never uses more than about 2 % of a core. Those figures are as old as that wait.
 * </ul>
 *
 * A state not counted yet reads as NaN: unknown, not zero. {@link #endedCountedAt} says when the last pass began, so
 * that a reader who needs the ended counts of a moment (a benchmark, a test) can wait for a pass begun after it.
 */
public final class TaskCounts {
    /** How often the jobs call in. */
    public static final Duration EVERY = Duration.ofSeconds(1);
    /** The wait between two passes over the whole table, in multiples of the last pass's duration. */
    static final int SPACING = 50;

    private final Supplier<Map<TaskState, Long>> all;
    private final Supplier<Map<TaskState, Long>> active;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Map<TaskState, Double> current = new EnumMap<>(TaskState.class);
    private double endedCountedAt = Double.NaN;
    private long nextPassAt; // only countAll's job uses it, one call after the other
    private boolean passed;

    public TaskCounts(TaskDao tasks, Clock clock) {
        this(tasks::countByState, tasks::countActive, System::nanoTime, clock);
    }

    TaskCounts(
            Supplier<Map<TaskState, Long>> all,
            Supplier<Map<TaskState, Long>> active,
            LongSupplier nanoTime,
            Clock clock) {
        this.all = all;
        this.active = active;
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    /** Counts the queued and running tasks. */
    public void countActive() {
        publish(active.get(), false);
    }

    /** Counts every state once its wait since the last pass is over, and publishes the ended ones. */
    public void countAll() {
        long start = nanoTime.getAsLong();
        if (passed && start - nextPassAt < 0) {
            return;
        }
        double began = clock.millis() / 1000.0;
        publish(all.get(), true);
        synchronized (this) {
            endedCountedAt = began;
        }
        long took = nanoTime.getAsLong() - start;
        nextPassAt = start + Math.max(EVERY.toNanos(), SPACING * took);
        passed = true;
    }

    /** The last count of one state, NaN before its first count. */
    public synchronized double of(TaskState state) {
        return current.getOrDefault(state, Double.NaN);
    }

    /** When the pass that counted the ended states began, in seconds since the epoch; NaN before the first. */
    public synchronized double endedCountedAt() {
        return endedCountedAt;
    }

    private synchronized void publish(Map<TaskState, Long> counts, boolean ended) {
        for (TaskState state : TaskState.values()) {
            if (state.isTerminal() == ended) {
                current.put(state, (double) counts.getOrDefault(state, 0L));
            }
        }
    }
}
