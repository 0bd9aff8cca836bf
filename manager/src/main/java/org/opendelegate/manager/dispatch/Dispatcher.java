package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.Signal;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.TaskAssignment;

/**
 * Hands tasks to delegates. A delegate's poll either takes queued work at once or parks here until work
 * arrives or the wait runs out; a new task goes straight to the best parked poll. Leases are taken with
 * a compare-and-set in the store, so several replicas can dispatch from one database safely.
 *
 * <p>The dispatcher is the one owner of this replica's dispatch bookkeeping: the queued tasks, the tasks
 * each delegate runs and the parked polls. The rest of the package tells it what the store did through
 * its methods (chiefly {@link #requeuedOrEnded}) and never touches those structures.
 */
public final class Dispatcher implements AutoCloseable {
    private final LogSignals logSignals = new LogSignals();

    /** The busy writes of task rows, which outcome reports share ({@link TaskOutcomes}). */
    TaskWrites writes() {
        return writes;
    }

    /** Where log followers learn that lines were stored ({@link TaskLeases} stores them). */
    LogSignals logSignals() {
        return logSignals;
    }

    /** How many of an account's oldest queued tasks a poll looks at. */
    static final int SCAN = 200;

    private final TaskDao tasks;
    private final KnownDelegates directory;
    private final DelegateTimings timings;
    private final TaskWaiters waiters;
    private final Clock clock;
    // New tasks that find no idle delegate, leases and outcomes: what arrives together shares one commit.
    private final TaskWrites writes;
    private final ParkedPolls parked;
    private final QueuedTasks queue = new QueuedTasks();
    private final RunningTasks running = new RunningTasks();
    private final Router router;
    private final TaskClaims claims;
    private volatile ClusterSignals cluster = ClusterSignals.local();
    // True when another replica may have queued, taken or ended tasks since the sweeper last read the store's
    // queue: a signal came, or the link to the store came back (signals may have been missed meanwhile).
    private final AtomicBoolean queueChangedElsewhere = new AtomicBoolean(true);

    public Dispatcher(
            TaskDao tasks,
            AffinityDao affinity,
            KnownDelegates directory,
            DelegateTimings timings,
            DispatchConfig config,
            TaskSecrets secrets,
            TaskWaiters waiters,
            ManagerMetrics metrics,
            Clock clock) {
        this.tasks = tasks;
        this.directory = directory;
        this.timings = timings;
        this.waiters = waiters;
        this.clock = clock;
        this.writes = new TaskWrites(tasks);
        this.parked = new ParkedPolls(timings.pollWait(), clock);
        this.router = new Router(tasks, affinity, directory, timings, config, parked, running, metrics, clock);
        this.claims = new TaskClaims(tasks, writes, queue, running, timings, secrets, clock);
    }

    /**
     * Joins the other replicas on the store: what this replica queues, ends, cancels or logs is signalled
     * to them, and what they signal is served here at once instead of at the next store poll. A replica
     * that loses its link to the store answers its parked polls empty and parks no more (it takes no
     * leases) until the link is back. Called once, before the Manager starts.
     */
    public void joinCluster(ClusterSignals signals) {
        this.cluster = signals;
        signals.subscribe(Signal.TASK_QUEUED, ids -> {
            queueChangedElsewhere.set(true);
            queuedElsewhere(ids);
        });
        signals.subscribe(Signal.TASK_ENDED, ids -> {
            queueChangedElsewhere.set(true);
            ids.forEach(id -> {
                waiters.ended(id);
                logSignals.stored(id); // its log followers here send the end at once
            });
        });
        signals.subscribe(Signal.CANCEL_REQUESTED, pairs -> {
            for (String pair : pairs) {
                int slash = pair.indexOf('/');
                if (slash > 0 && parked.isParked(pair.substring(0, slash))) {
                    parked.cancel(pair.substring(0, slash), pair.substring(slash + 1));
                }
            }
        });
        signals.subscribe(Signal.LOG_STORED, ids -> ids.forEach(logSignals::stored));
        signals.subscribe(Signal.DELEGATE_CHANGED, ids -> ids.forEach(this::dropStalePoll));
        signals.onLink(up -> {
            queueChangedElsewhere.set(true);
            if (!up) {
                parked.dropAll();
            }
        });
    }

    /** Tasks another replica queued: known here at once, and offered to the polls parked here. */
    private void queuedElsewhere(List<String> taskIds) {
        Instant now = clock.instant();
        for (Task task : tasks.findByIds(taskIds).values()) {
            if (task.state() == org.opendelegate.manager.store.TaskState.QUEUED) {
                queue.add(task, now);
                if (parked.anyAsking(task.accountId())) {
                    offer(task, "SUBMITTED");
                }
            }
        }
    }

    /** A delegate that registered again elsewhere: its poll parked here belongs to a gone session. */
    private void dropStalePoll(String delegateId) {
        ParkedPoll poll = parked.peek(delegateId);
        if (poll != null
                && !directory
                        .get(delegateId)
                        .map(e -> e.delegate().sessionId().equals(poll.sessionId))
                        .orElse(false)) {
            parked.answerEmpty(poll);
        }
    }

    /**
     * A delegate asks for work. Answers at once when there are cancellations or queued tasks it can take;
     * otherwise waits up to the poll wait.
     */
    public CompletableFuture<PollResponse> poll(ResolvedDelegate delegate, String sessionId, int freeSlots) {
        if (!cluster.connected()) {
            throw new DomainProblem(
                    ProblemKind.UNAVAILABLE,
                    "Store unreachable",
                    "STORE_UNREACHABLE",
                    "This Manager replica cannot reach its database and takes no work; poll again, another"
                            + " replica will answer.");
        }
        List<String> cancels = parked.drainCancels(delegate.id());
        List<TaskAssignment> assigned = freeSlots > 0 ? claimQueued(delegate, sessionId, freeSlots) : List.of();
        if (!assigned.isEmpty() || !cancels.isEmpty()) {
            return CompletableFuture.completedFuture(new PollResponse(assigned, cancels));
        }
        ParkedPoll poll;
        try {
            poll = parked.park(delegate, sessionId, freeSlots);
        } catch (RejectedExecutionException stopping) {
            throw new DomainProblem(
                    ProblemKind.UNAVAILABLE,
                    "Shutting down",
                    "SHUTTING_DOWN",
                    "The Manager is shutting down; poll again in a moment.");
        }
        if (freeSlots > 0 && !queue.oldest(delegate.accountId(), 1).isEmpty()) {
            // Work may have been queued between the look above and parking: look once more.
            serveParked(poll);
        }
        return poll.future;
    }

    /** A new task as stored, and the routing decision made for it at submission. */
    public record Dispatched(Task task, SelectionLog log) {}

    /**
     * Stores a new task and hands it out. When an eligible delegate is waiting, the task is stored already
     * leased to it, in one transaction, and its poll answered at once; otherwise it is stored queued.
     *
     * @return the task as stored, and the decision (for the answer: no second selection to show it)
     */
    public Dispatched submit(Task task) {
        SelectionLog log = router.choose(task, "SUBMITTED");
        ParkedPoll poll =
                log.chosen() == null ? null : takeAskingPoll(log.chosen().delegateId());
        if (poll == null) {
            writes.insert(task);
            queue.add(task, clock.instant());
            cluster.publish(Signal.TASK_QUEUED, task.id());
            // A delegate may have parked its poll since the look above: offer once more now that the task is in
            // the queue, where every later poll finds it. With no poll asking, a second selection finds nobody.
            if (parked.anyAsking(task.accountId())) {
                offer(task, "SUBMITTED");
            }
            return new Dispatched(task, log);
        }
        Task leased;
        try {
            leased = claims.insertLeased(task, poll.delegate, poll.sessionId, log);
        } catch (RuntimeException e) {
            parked.putBack(poll);
            throw e;
        }
        parked.answer(poll, List.of(claims.assignment(leased)));
        return new Dispatched(leased, log);
    }

    /**
     * Stores new tasks queued, in one transaction, then serves the polls that ask for work in their account: each
     * such poll takes what it can of them in one claim. Tasks no poll took wait in the queue for the next poll.
     */
    public void submitAll(List<Task> batch) {
        tasks.insertAll(batch);
        Instant now = clock.instant();
        for (Task task : batch) {
            queue.add(task, now);
        }
        String accountId = batch.get(0).accountId();
        for (ParkedPoll poll : parked.asking()) {
            if (poll.delegate.accountId().equals(accountId)) {
                serveParked(poll);
            }
        }
    }

    /**
     * The store took a task off its lease, or ended a queued one: a requeued task goes back in the queue and
     * to the best parked poll; an ended one is forgotten and its waiters are told.
     */
    void requeuedOrEnded(Task task, boolean requeued) {
        running.remove(task.delegateId(), task.id());
        if (requeued) {
            cluster.publish(Signal.TASK_QUEUED, task.id());
            tasks.findById(task.id()).ifPresent(fresh -> enqueue(fresh, "REQUEUED"));
        } else {
            cluster.publish(Signal.TASK_ENDED, task.id());
            queue.remove(task);
            waiters.ended(task.id());
            logSignals.stored(task.id());
        }
    }

    /** Forgets a task that ended or was taken elsewhere. */
    void forget(Task task) {
        queue.remove(task);
        running.remove(task.delegateId(), task.id());
    }

    /** The tasks a delegate runs now, as it reported them and the store confirmed. */
    void nowRunning(String delegateId, Collection<String> taskIds) {
        running.reset(delegateId, taskIds);
    }

    /**
     * Why a queued task is still waiting, as of now. Computed when asked rather than stored at every
     * look, so it is never stale and costs no write.
     */
    SelectionLog waitingLog(Task task) {
        return router.choose(task, "WAITING");
    }

    /** Tells a running task's delegate to stop it: at once if its poll is parked here, else on its next call. */
    void deliverCancel(String delegateId, String taskId) {
        if (!parked.isParked(delegateId)) {
            cluster.publish(Signal.CANCEL_REQUESTED, delegateId + "/" + taskId);
        }
        parked.cancel(delegateId, taskId);
    }

    /** Lines of a task were stored: followers here and on the other replicas look again. */
    void logStored(String taskId) {
        logSignals.stored(taskId);
        cluster.publish(Signal.LOG_STORED, taskId);
    }

    /** Cancellations waiting for a delegate; each is handed out once. */
    List<String> drainCancels(String delegateId) {
        return parked.drainCancels(delegateId);
    }

    /** Answers a delegate's parked poll empty: its process registered again, so that poll is stale. */
    void dropPoll(String delegateId) {
        parked.drop(delegateId);
    }

    /** True when the delegate has a poll parked on this replica. */
    boolean isParked(String delegateId) {
        return parked.isParked(delegateId);
    }

    /** True when some delegate of the account has a parked poll with a free slot. */
    boolean anyAsking(String accountId) {
        return parked.anyAsking(accountId);
    }

    /** Every queued task this replica knows, oldest first per account. */
    List<Task> queued() {
        return queue.all();
    }

    /** When the task last entered the queue, as this replica saw it. */
    Instant queuedSince(Task task) {
        return queue.enqueuedAt(task.id(), task.createdAt());
    }

    /**
     * True, once, when another replica signalled queued or ended tasks, or the link to the store came back, since
     * the last call: the store's queue may then hold what this replica does not know. A single Manager changes
     * its queue only through this class, so nothing but a missed signal makes it differ.
     */
    boolean queueChangedElsewhere() {
        return queueChangedElsewhere.getAndSet(false);
    }

    /**
     * Folds in the store's queued tasks, read at {@code readAt}, so work other replicas queued is served;
     * {@code complete} is false when the read stopped at its row limit.
     */
    void syncQueue(List<Task> queuedInStore, boolean complete, Instant readAt) {
        queue.sync(queuedInStore, complete, readAt);
    }

    /** What routing needs to know about this task's history, read once per decision. */
    SelectionContext context(Task task) {
        return router.context(task);
    }

    /** Offers a queued task to the parked polls; used for new tasks and by the sweeper for waiting ones. */
    SelectionLog offer(Task task, String trigger) {
        SelectionLog log = router.choose(task, trigger);
        ParkedPoll poll =
                log.chosen() == null ? null : takeAskingPoll(log.chosen().delegateId());
        if (poll == null) {
            return log;
        }
        List<TaskAssignment> assigned = queue.take(task)
                ? claims.claimAll(
                        List.of(new TaskDao.Claim(task, SelectionHistory.append(task.selectionLog(), log))),
                        poll.delegate,
                        poll.sessionId)
                : List.of();
        if (assigned.isEmpty()) {
            parked.putBack(poll);
        } else {
            parked.answer(poll, assigned);
        }
        return log;
    }

    /**
     * Serves every parked poll that asks for work in an account with queued tasks: work that a poll passed
     * over (another delegate was the better choice then, and has since gone) is not left waiting for the
     * next poll. The sweeper calls this once a second.
     */
    void serveAskingPolls() {
        for (ParkedPoll poll : parked.asking()) {
            if (!queue.oldest(poll.delegate.accountId(), 1).isEmpty()) {
                serveParked(poll);
            }
        }
    }

    private void enqueue(Task task, String trigger) {
        queue.add(task, clock.instant());
        offer(task, trigger);
    }

    /**
     * Takes the delegate's parked poll to answer it with work, but only a poll that asked for work (a
     * poll without a free slot only waits for cancellations) and only of the delegate's current session
     * (the poll of a process that died and came back is gone). The check is made on the poll taken, not
     * on the one the routing decision saw: the delegate may have polled again since.
     */
    private ParkedPoll takeAskingPoll(String delegateId) {
        ParkedPoll poll = parked.peek(delegateId);
        if (poll == null || !poll.asksForWork()) {
            return null;
        }
        boolean current = directory
                .get(delegateId)
                .map(e -> e.delegate().sessionId().equals(poll.sessionId))
                .orElse(false);
        if (!current) {
            parked.answerEmpty(poll);
            return null;
        }
        return parked.take(poll) ? poll : null;
    }

    private void serveParked(ParkedPoll poll) {
        if (!parked.take(poll)) {
            return;
        }
        List<TaskAssignment> assigned = claimQueued(poll.delegate, poll.sessionId, poll.freeSlots);
        if (assigned.isEmpty()) {
            parked.putBack(poll);
        } else {
            parked.answer(poll, assigned);
        }
    }

    private List<TaskAssignment> claimQueued(ResolvedDelegate delegate, String sessionId, int freeSlots) {
        List<TaskDao.Claim> picked = new ArrayList<>();
        Instant now = clock.instant();
        List<ResolvedDelegate> delegates = null;
        for (Task task : queue.oldest(delegate.accountId(), SCAN)) {
            if (picked.size() >= freeSlots) {
                break;
            }
            if (task.deadline().isBefore(now)
                    || Eligibility.exclusion(delegate, task, now, timings.disconnectAfter())
                            .isPresent()) {
                continue;
            }
            SelectionContext context = router.context(task);
            if (Eligibility.exclusion(delegate, task, context).isPresent()) {
                continue;
            }
            if (delegates == null) {
                delegates = directory.inAccount(delegate.accountId());
            }
            SelectionLog log = router.chooseForPoll(task, delegates, delegate, freeSlots - picked.size(), context);
            if (log.chosen() != null && !log.chosen().delegateId().equals(delegate.id())) {
                offer(task, "DELEGATE_POLLED");
                continue;
            }
            if (queue.take(task)) {
                picked.add(new TaskDao.Claim(task, SelectionHistory.append(task.selectionLog(), log)));
            }
        }
        return claims.claimAll(picked, delegate, sessionId);
    }

    /** Answers every parked poll empty, for shutdown. */
    @Override
    public void close() {
        parked.close();
        writes.close();
    }
}
