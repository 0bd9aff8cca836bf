package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskAttempt;
import org.opendelegate.manager.store.TaskDao;

/**
 * Gathers what a routing decision needs and lets {@link Selection} make it: the delegates of the task's
 * account, how busy each is on this replica (its parked poll's free slots, else the tasks it runs here), and
 * the task's history (affinity, delegates that failed it before).
 */
final class Router {
    private final TaskDao tasks;
    private final AffinityDao affinity;
    private final KnownDelegates directory;
    private final DelegateTimings timings;
    private final DispatchConfig config;
    private final ParkedPolls parked;
    private final RunningTasks running;
    private final ManagerMetrics metrics;
    private final Clock clock;

    Router(
            TaskDao tasks,
            AffinityDao affinity,
            KnownDelegates directory,
            DelegateTimings timings,
            DispatchConfig config,
            ParkedPolls parked,
            RunningTasks running,
            ManagerMetrics metrics,
            Clock clock) {
        this.tasks = tasks;
        this.affinity = affinity;
        this.directory = directory;
        this.timings = timings;
        this.config = config;
        this.parked = parked;
        this.running = running;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The best delegate of the account for the task now, every parked poll with a free slot asking. */
    SelectionLog choose(Task task, String trigger) {
        long start = System.nanoTime();
        List<ResolvedDelegate> delegates = directory.inAccount(task.accountId());
        SelectionLog log = Selection.choose(
                task, delegates, loads(null, 0, true), context(task), trigger, ThreadLocalRandom.current());
        metrics.routingDecision(System.nanoTime() - start);
        return log;
    }

    /**
     * The best delegate for a task that a polling delegate looks at. The delegate asking now takes the work
     * it may run, unless history makes another asking delegate the better choice (it succeeded with the
     * task's affinity key, or the one asking failed the task before): deferring on load alone would leave
     * work queued while the asking delegate has free slots.
     */
    SelectionLog chooseForPoll(
            Task task,
            List<ResolvedDelegate> delegates,
            ResolvedDelegate asking,
            int askingSlots,
            SelectionContext context) {
        long start = System.nanoTime();
        boolean historyMatters = task.affinityKey() != null || task.attempts() > 0;
        SelectionLog log = Selection.choose(
                task,
                delegates,
                loads(asking, askingSlots, historyMatters),
                context,
                "DELEGATE_POLLED",
                ThreadLocalRandom.current());
        metrics.routingDecision(System.nanoTime() - start);
        return log;
    }

    /** What routing needs to know about this task's history, read once per decision. */
    SelectionContext context(Task task) {
        return new SelectionContext(
                clock.instant(),
                timings.disconnectAfter(),
                config.capabilityFailureAvoid(),
                task.affinityKey() == null ? Map.of() : affinity.forKey(task.accountId(), task.affinityKey()),
                failedBefore(task));
    }

    private Set<String> failedBefore(Task task) {
        if (task.attempts() == 0) {
            return Set.of();
        }
        Set<String> failed = new HashSet<>();
        for (TaskAttempt attempt : tasks.attempts(task.id())) {
            if (attempt.outcome() != null) {
                failed.add(attempt.delegateId());
            }
        }
        return failed;
    }

    /**
     * How busy a delegate is and whether it asks for work now, looked up only for the delegates selection
     * asks about (the eligible ones), not for the whole account. {@code asking} is the delegate whose poll
     * is being served (null when none); with {@code othersMayAsk} false it is the only one counted as asking.
     */
    private Function<ResolvedDelegate, Selection.Load> loads(
            ResolvedDelegate asking, int askingSlots, boolean othersMayAsk) {
        return d -> {
            int capacity = d.delegate().capacity();
            if (asking != null && asking.id().equals(d.id())) {
                return new Selection.Load(capacity - askingSlots, capacity, true);
            }
            ParkedPoll poll = othersMayAsk ? parked.peek(d.id()) : null;
            if (poll != null) {
                return new Selection.Load(capacity - poll.freeSlots, capacity, poll.asksForWork());
            }
            return new Selection.Load(Math.min(capacity, running.count(d.id())), capacity, false);
        };
    }
}
