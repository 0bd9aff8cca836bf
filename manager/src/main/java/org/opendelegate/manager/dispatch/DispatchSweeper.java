package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.ErrorKind;

/**
 * The dispatcher's clock-driven work, run every sweep interval: expired leases are requeued or ended,
 * queued tasks that ran out of time or found no eligible delegate are ended with a reason, waiting tasks
 * are offered again, and what other replicas did (new tasks, cancellations, ends) is picked up.
 */
public final class DispatchSweeper {
    private static final int BATCH = 500;
    private static final Duration STORE_SYNC_EVERY = Duration.ofSeconds(1);
    // The store's queue (up to 2,500 rows) is read again only when another replica signalled a change, or the
    // link to the store came back, and otherwise every 10 s: a signal lost without a link gap delays by at most
    // that. Reading it every second cost a single Manager with a backlog a sixth of its CPU (issue 16).
    static final Duration QUEUE_RESYNC_EVERY = Duration.ofSeconds(10);

    private final TaskDao tasks;
    private final Dispatcher dispatcher;
    private final TaskLeases leases;
    private final TaskWaiters waiters;
    private final KnownDelegates directory;
    private final DelegateTimings timings;
    private final DispatchConfig config;
    private final Clock clock;
    // Queued tasks are reviewed once a second, not at every sweep: a backlog of thousands must not cost a
    // selection per task four times a second. Every new task is offered when it arrives anyway.
    private static final Duration REVIEW_EVERY = Duration.ofSeconds(1);
    private Instant lastStoreSync = Instant.EPOCH;
    private Instant lastQueueSync = Instant.EPOCH;
    private Instant lastReview = Instant.EPOCH;

    public DispatchSweeper(
            TaskDao tasks,
            Dispatcher dispatcher,
            TaskLeases leases,
            TaskWaiters waiters,
            KnownDelegates directory,
            DelegateTimings timings,
            DispatchConfig config,
            Clock clock) {
        this.tasks = tasks;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.waiters = waiters;
        this.directory = directory;
        this.timings = timings;
        this.config = config;
        this.clock = clock;
    }

    /** One sweep. */
    public void tick() {
        Instant now = clock.instant();
        for (Task t : tasks.expiredLeases(now, BATCH)) {
            String name = t.delegateId() == null
                    ? "the delegate"
                    : directory.get(t.delegateId()).map(ResolvedDelegate::name).orElse("the delegate");
            leases.release(
                    t,
                    "LEASE_EXPIRED",
                    name + " stopped renewing its lease (no heartbeat or progress for "
                            + timings.lease().toSeconds() + " s)");
        }
        if (Duration.between(lastStoreSync, now).compareTo(STORE_SYNC_EVERY) >= 0) {
            lastStoreSync = now;
            if (dispatcher.queueChangedElsewhere()
                    || Duration.between(lastQueueSync, now).compareTo(QUEUE_RESYNC_EVERY) >= 0) {
                lastQueueSync = now;
                List<Task> queuedInStore = tasks.queued(5 * BATCH);
                dispatcher.syncQueue(queuedInStore, queuedInStore.size() < 5 * BATCH, now);
            }
            deliverStoredCancels();
            waiters.checkStore();
        }
        if (Duration.between(lastReview, now).compareTo(REVIEW_EVERY) >= 0) {
            lastReview = now;
            // Polls asking for work first take what they can of the backlog, each in one claim; then the tasks
            // still waiting are reviewed, and offered one by one only while some poll of their account still asks.
            dispatcher.serveAskingPolls();
            reviewQueued(now);
        }
    }

    private void reviewQueued(Instant now) {
        Map<String, List<ResolvedDelegate>> delegatesOf = new HashMap<>();
        Map<String, Boolean> askingIn = new HashMap<>();
        Map<String, Integer> positionIn = new HashMap<>();
        for (Task t : dispatcher.queued()) {
            int position = positionIn.merge(t.accountId(), 1, Integer::sum) - 1;
            if (!t.deadline().isAfter(now)) {
                end(
                        t,
                        TaskState.TIMED_OUT,
                        "No delegate took the task within its time budget of " + t.timeoutMs() / 1000 + " s"
                                + busyNote(t, now) + ".",
                        now);
                continue;
            }
            List<ResolvedDelegate> delegates = delegatesOf.computeIfAbsent(t.accountId(), directory::inAccount);
            Eligibility.TaskReasons reasons = new Eligibility.TaskReasons(t);
            boolean anyEligible = delegates.stream()
                    .anyMatch(d -> Eligibility.exclusion(d, t, now, timings.disconnectAfter(), reasons)
                            .isEmpty());
            SelectionContext context = anyEligible && t.affinityKey() != null ? dispatcher.context(t) : null;
            if (context != null) {
                anyEligible = delegates.stream()
                        .anyMatch(d ->
                                Eligibility.exclusion(d, t, context, reasons).isEmpty());
            }
            if (!anyEligible) {
                Instant since = dispatcher.queuedSince(t);
                if (!since.plus(config.noEligibleWait()).isAfter(now)) {
                    end(
                            t,
                            TaskState.NOT_ASSIGNED,
                            "No eligible delegate: "
                                    + NoEligibleMessage.of(
                                            t, delegates, context == null ? dispatcher.context(t) : context),
                            now);
                }
            } else if (offerable(t, position) && askingIn.computeIfAbsent(t.accountId(), dispatcher::anyAsking)) {
                dispatcher.offer(t, "WAITING");
                // The offer may have answered the last asking poll: look again before the next task's offer.
                askingIn.remove(t.accountId());
            }
        }
    }

    /**
     * Whether the review should offer a waiting task to the asking polls. Every asking poll has just looked at
     * the oldest {@link Dispatcher#SCAN} tasks of its account ({@code serveAskingPolls}) and taken each it may run,
     * unless the task's history (affinity, an earlier attempt) made another delegate the better choice. So only
     * tasks beyond what polls see, and tasks with a history, can still find a taker by an offer; offering the
     * others again, one claim per task, cost a third of a busy Manager's CPU (issue 16).
     */
    private static boolean offerable(Task t, int position) {
        return position >= Dispatcher.SCAN || t.affinityKey() != null || t.attempts() > 0;
    }

    private String busyNote(Task t, Instant now) {
        Eligibility.TaskReasons reasons = new Eligibility.TaskReasons(t);
        long eligible = directory.inAccount(t.accountId()).stream()
                .filter(d -> Eligibility.exclusion(d, t, now, timings.disconnectAfter(), reasons)
                        .isEmpty())
                .count();
        return eligible == 0
                ? "; no delegate was eligible"
                : "; " + eligible + " eligible delegate" + (eligible == 1 ? " was" : "s were") + " busy";
    }

    private void end(Task t, TaskState state, String message, Instant now) {
        String selectionLog = null;
        if (state == TaskState.NOT_ASSIGNED) {
            // The last routing decision explains the failure; it is written with the end, in one step.
            SelectionLog log = Selection.choose(
                    t,
                    directory.inAccount(t.accountId()),
                    java.util.Map.of(),
                    dispatcher.context(t),
                    "NO_ELIGIBLE_DELEGATE",
                    java.util.concurrent.ThreadLocalRandom.current());
            String stored = tasks.findById(t.id()).map(Task::selectionLog).orElse(t.selectionLog());
            selectionLog = SelectionHistory.append(stored, log.withSummary(message));
        }
        if (tasks.finishQueued(
                t.id(),
                t.fencingToken(),
                state,
                state == TaskState.NOT_ASSIGNED ? ErrorKind.CAPABILITY : ErrorKind.TASK,
                message,
                now,
                selectionLog)) {
            dispatcher.requeuedOrEnded(t, false);
        } else {
            dispatcher.forget(t);
        }
    }

    private void deliverStoredCancels() {
        for (Task t : tasks.runningWithCancelRequested(BATCH)) {
            if (t.delegateId() != null && dispatcher.isParked(t.delegateId())) {
                dispatcher.deliverCancel(t.delegateId(), t.id());
            }
        }
    }
}
