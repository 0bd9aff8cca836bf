package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.GroupCommit;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskAttempt;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.TaskAssignment;

/**
 * Hands tasks to delegates. A delegate's poll either takes queued work at once or parks here until work
 * arrives or the wait runs out; a new task goes straight to the best parked poll. Leases are taken with
 * a compare-and-set in the store, so several replicas can dispatch from one database safely.
 */
public final class Dispatcher implements AutoCloseable {
    private static final PollResponse EMPTY = new PollResponse(List.of(), List.of());
    private static final int SCAN = 200;

    private final TaskDao tasks;
    private final AffinityDao affinity;
    private final KnownDelegates directory;
    private final DelegateTimings timings;
    private final DispatchConfig config;
    private final TaskSecrets secrets;
    // New tasks that find no idle delegate: concurrent submissions share one commit.
    private final GroupCommit<Task, Boolean> inserts;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, ParkedPoll> parked = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> pendingCancels = new ConcurrentHashMap<>();
    final QueuedTasks queue = new QueuedTasks();
    final RunningTasks running = new RunningTasks();

    /** A poll waiting for work. Whoever removes it from {@link #parked} answers it. */
    private static final class ParkedPoll {
        final ResolvedDelegate delegate;
        final String sessionId;
        final int freeSlots;
        final Instant deadline;
        final CompletableFuture<PollResponse> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        ParkedPoll(ResolvedDelegate delegate, String sessionId, int freeSlots, Instant deadline) {
            this.delegate = delegate;
            this.sessionId = sessionId;
            this.freeSlots = freeSlots;
            this.deadline = deadline;
        }

        void answer(PollResponse response) {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            future.complete(response);
        }
    }

    public Dispatcher(TaskDao tasks, AffinityDao affinity, KnownDelegates directory, DelegateTimings timings,
            DispatchConfig config, TaskSecrets secrets, Clock clock) {
        this.tasks = tasks;
        this.affinity = affinity;
        this.directory = directory;
        this.timings = timings;
        this.config = config;
        this.secrets = secrets;
        this.inserts = new GroupCommit<>("task-inserts", 256, batch -> {
            tasks.insertAll(batch);
            return Collections.nCopies(batch.size(), true);
        }, task -> {
            tasks.insert(task);
            return true;
        });
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("poll-timeouts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /**
     * A delegate asks for work. Answers at once when there are cancellations or queued tasks it can take;
     * otherwise waits up to the poll wait.
     */
    public CompletableFuture<PollResponse> poll(ResolvedDelegate delegate, String sessionId, int freeSlots) {
        List<String> cancels = drainCancels(delegate.id());
        List<TaskAssignment> assigned = freeSlots > 0 ? claimQueued(delegate, sessionId, freeSlots) : List.of();
        if (!assigned.isEmpty() || !cancels.isEmpty()) {
            return CompletableFuture.completedFuture(new PollResponse(assigned, cancels));
        }
        Instant now = clock.instant();
        ParkedPoll poll = new ParkedPoll(delegate, sessionId, freeSlots, now.plus(timings.pollWait()));
        ParkedPoll previous = parked.put(delegate.id(), poll);
        if (previous != null) {
            previous.answer(EMPTY);
        }
        try {
            poll.timeout = timer.schedule(() -> expire(poll), timings.pollWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            parked.remove(delegate.id(), poll);
            throw new DomainProblem(ProblemKind.UNAVAILABLE, "Shutting down", "SHUTTING_DOWN",
                    "The Manager is shutting down; poll again in a moment.");
        }
        if (freeSlots > 0 && !queue.oldest(delegate.accountId(), 1).isEmpty()) {
            // Work may have been queued between the look above and parking: look once more.
            serveParked(poll);
        }
        return poll.future;
    }

    /**
     * Stores a new task and hands it out. When an eligible delegate is waiting, the task is stored already
     * leased to it, in one transaction, and its poll answered at once; otherwise it is stored queued.
     *
     * @return the task as stored
     */
    public Task submit(Task task) {
        List<ResolvedDelegate> delegates = directory.inAccount(task.accountId());
        SelectionLog log = Selection.choose(task, delegates, loads(delegates, null, 0), context(task), "SUBMITTED",
                ThreadLocalRandom.current());
        ParkedPoll poll = log.chosen() == null ? null : takeAskingPoll(log.chosen().delegateId());
        if (poll == null) {
            inserts.submit(task);
            // A delegate may have parked its poll since the look above: offer once more now that the task
            // is in the queue, where every later poll finds it.
            enqueue(task, "SUBMITTED");
            return task;
        }
        Instant now = clock.instant();
        Task leased;
        try {
            leased = tasks.insertAndClaim(task, poll.delegate.id(), poll.delegate.name(), poll.sessionId,
                    now.plus(timings.lease()), now, SelectionHistory.append(null, log));
        } catch (RuntimeException e) {
            repark(poll);
            throw e;
        }
        running.add(poll.delegate.id(), leased.id());
        poll.answer(new PollResponse(List.of(assignment(leased, now)), drainCancels(poll.delegate.id())));
        return leased;
    }

    /** A requeued task: remember it and hand it to the best parked poll, if any. */
    public void enqueue(Task task, String trigger) {
        queue.add(task, clock.instant());
        offer(task, trigger);
    }

    /**
     * Why a queued task is still waiting, as of now. Computed when asked rather than stored at every
     * look, so it is never stale and costs no write.
     */
    public SelectionLog waitingLog(Task task) {
        List<ResolvedDelegate> delegates = directory.inAccount(task.accountId());
        return Selection.choose(task, delegates, loads(delegates, null, 0), context(task), "WAITING",
                ThreadLocalRandom.current());
    }

    /** Tells a running task's delegate to stop it: at once if its poll is parked here, else on its next call. */
    public void deliverCancel(String delegateId, String taskId) {
        pendingCancels.computeIfAbsent(delegateId, d -> ConcurrentHashMap.newKeySet()).add(taskId);
        ParkedPoll poll = parked.remove(delegateId);
        if (poll != null) {
            poll.answer(new PollResponse(List.of(), drainCancels(delegateId)));
        }
    }

    /** Cancellations waiting for a delegate; each is handed out once. */
    public List<String> drainCancels(String delegateId) {
        Set<String> pending = pendingCancels.remove(delegateId);
        return pending == null ? List.of() : List.copyOf(pending);
    }

    /** True when the delegate has a poll parked on this replica. */
    boolean isParked(String delegateId) {
        return parked.containsKey(delegateId);
    }

    /** True when some delegate of the account has a parked poll with a free slot. */
    boolean anyAsking(String accountId) {
        for (ParkedPoll p : parked.values()) {
            if (p.freeSlots > 0 && p.delegate.accountId().equals(accountId)) {
                return true;
            }
        }
        return false;
    }

    /** Offers a queued task to the parked polls; used for new tasks and by the sweeper for waiting ones. */
    SelectionLog offer(Task task, String trigger) {
        List<ResolvedDelegate> delegates = directory.inAccount(task.accountId());
        SelectionLog log = Selection.choose(task, delegates, loads(delegates, null, 0), context(task), trigger,
                ThreadLocalRandom.current());
        if (log.chosen() == null) {
            return log;
        }
        ParkedPoll poll = takeAskingPoll(log.chosen().delegateId());
        if (poll == null) {
            return log;
        }
        if (!queue.take(task)) {
            repark(poll);
            return log;
        }
        Optional<TaskAssignment> assignment = claim(task, poll.delegate, poll.sessionId, log);
        if (assignment.isPresent()) {
            poll.answer(new PollResponse(List.of(assignment.get()), drainCancels(poll.delegate.id())));
        } else {
            repark(poll);
        }
        return log;
    }

    /**
     * Takes the delegate's parked poll to answer it with work, but only a poll that asked for work (a
     * poll without a free slot only waits for cancellations) and only of the delegate's current session
     * (the poll of a process that died and came back is gone). The check is made on the poll taken, not
     * on the one the routing decision saw: the delegate may have polled again since.
     */
    private ParkedPoll takeAskingPoll(String delegateId) {
        ParkedPoll poll = parked.get(delegateId);
        if (poll == null || poll.freeSlots == 0) {
            return null;
        }
        boolean current = directory.get(delegateId)
                .map(e -> e.delegate().sessionId().equals(poll.sessionId)).orElse(false);
        if (!current) {
            if (parked.remove(delegateId, poll)) {
                poll.answer(EMPTY);
            }
            return null;
        }
        return parked.remove(delegateId, poll) ? poll : null;
    }

    /** Answers a delegate's parked poll empty: its process registered again, so that poll is stale. */
    public void dropPoll(String delegateId) {
        ParkedPoll poll = parked.remove(delegateId);
        if (poll != null) {
            poll.answer(EMPTY);
        }
    }

    /** Forgets a task that ended or was taken elsewhere. */
    void forget(Task task) {
        queue.remove(task);
        running.remove(task.delegateId(), task.id());
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
                    || Eligibility.exclusion(delegate, task, now, timings.disconnectAfter()).isPresent()) {
                continue;
            }
            SelectionContext context = context(task);
            if (Eligibility.exclusion(delegate, task, context).isPresent()) {
                continue;
            }
            if (delegates == null) {
                delegates = directory.inAccount(delegate.accountId());
            }
            // The delegate asking now takes the work it may run, unless history makes another asking delegate
            // the better choice (it succeeded with the task's affinity key, or this one failed the task before).
            // Deferring on load alone would leave work queued while this delegate has free slots.
            boolean historyMatters = task.affinityKey() != null || task.attempts() > 0;
            SelectionLog log = Selection.choose(task, delegates,
                    loads(delegates, delegate, freeSlots - picked.size(), historyMatters), context, "DELEGATE_POLLED",
                    ThreadLocalRandom.current());
            if (log.chosen() != null && !log.chosen().delegateId().equals(delegate.id())) {
                offer(task, "DELEGATE_POLLED");
                continue;
            }
            if (!queue.take(task)) {
                continue;
            }
            picked.add(new TaskDao.Claim(task, SelectionHistory.append(task.selectionLog(), log)));
        }
        return claimAll(picked, delegate, sessionId);
    }

    /**
     * Serves every parked poll that asks for work in an account with queued tasks: work that a poll passed
     * over (another delegate was the better choice then, and has since gone) is not left waiting for the
     * next poll. The sweeper calls this once a second.
     */
    void serveAskingPolls() {
        for (ParkedPoll poll : List.copyOf(parked.values())) {
            if (poll.freeSlots > 0 && !queue.oldest(poll.delegate.accountId(), 1).isEmpty()) {
                serveParked(poll);
            }
        }
    }

    private void serveParked(ParkedPoll poll) {
        if (!parked.remove(poll.delegate.id(), poll)) {
            return;
        }
        List<TaskAssignment> assigned = claimQueued(poll.delegate, poll.sessionId, poll.freeSlots);
        if (assigned.isEmpty()) {
            repark(poll);
        } else {
            poll.answer(new PollResponse(assigned, drainCancels(poll.delegate.id())));
        }
    }

    private Optional<TaskAssignment> claim(Task task, ResolvedDelegate delegate, String sessionId, SelectionLog log) {
        List<TaskAssignment> assigned = claimAll(
                List.of(new TaskDao.Claim(task, SelectionHistory.append(task.selectionLog(), log))), delegate,
                sessionId);
        return assigned.stream().findFirst();
    }

    /** Leases the picked tasks in one step; tasks that changed meanwhile follow the store instead. */
    private List<TaskAssignment> claimAll(List<TaskDao.Claim> picked, ResolvedDelegate delegate, String sessionId) {
        Instant now = clock.instant();
        List<Task> leased = tasks.claimAll(picked, delegate.id(), delegate.name(), sessionId,
                now.plus(timings.lease()), now);
        Set<String> leasedIds = new HashSet<>();
        List<TaskAssignment> assigned = new ArrayList<>();
        for (Task t : leased) {
            leasedIds.add(t.id());
            queue.remove(t);
            running.add(delegate.id(), t.id());
            assigned.add(assignment(t, now));
        }
        for (TaskDao.Claim c : picked) {
            if (!leasedIds.contains(c.queued().id())) {
                followStore(c.queued(), now);
            }
        }
        return assigned;
    }

    // Taken elsewhere, cancelled, or changed: the queue follows the store.
    private void followStore(Task task, Instant now) {
        tasks.findById(task.id()).ifPresentOrElse(fresh -> {
            if (fresh.state() != TaskState.QUEUED) {
                queue.remove(fresh);
            } else {
                queue.add(fresh, now);
            }
        }, () -> queue.remove(task));
    }

    private TaskAssignment assignment(Task t, Instant now) {
        long remaining = Math.max(1, Duration.between(now, t.deadline()).toMillis());
        return new TaskAssignment(t.id(), t.type(), t.payload(), t.fencingToken(), t.attempts(),
                timings.lease().toMillis(), remaining, secrets.open(t));
    }

    private Map<String, Selection.Load> loads(List<ResolvedDelegate> delegates, ResolvedDelegate asking, int askingSlots) {
        return loads(delegates, asking, askingSlots, true);
    }

    /**
     * How busy each delegate is and whether it asks for work now. {@code asking} is the delegate whose poll
     * is being served (null when none); with {@code othersMayAsk} false it is the only one counted as asking.
     */
    private Map<String, Selection.Load> loads(List<ResolvedDelegate> delegates, ResolvedDelegate asking, int askingSlots,
            boolean othersMayAsk) {
        Map<String, Selection.Load> loads = new HashMap<>();
        for (ResolvedDelegate d : delegates) {
            int capacity = d.delegate().capacity();
            ParkedPoll poll = parked.get(d.id());
            if (asking != null && asking.id().equals(d.id())) {
                loads.put(d.id(), new Selection.Load(capacity - askingSlots, capacity, true));
            } else if (poll != null && othersMayAsk) {
                loads.put(d.id(), new Selection.Load(capacity - poll.freeSlots, capacity, poll.freeSlots > 0));
            } else {
                loads.put(d.id(), new Selection.Load(Math.min(capacity, running.count(d.id())), capacity, false));
            }
        }
        return loads;
    }

    /** What routing needs to know about this task's history, read once per decision. */
    SelectionContext context(Task task) {
        return new SelectionContext(clock.instant(), timings.disconnectAfter(), config.capabilityFailureAvoid(),
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

    private void repark(ParkedPoll poll) {
        if (clock.instant().isBefore(poll.deadline)) {
            ParkedPoll previous = parked.putIfAbsent(poll.delegate.id(), poll);
            if (previous != null && previous != poll) {
                poll.answer(EMPTY);
            }
        } else {
            poll.answer(EMPTY);
        }
    }

    private void expire(ParkedPoll poll) {
        if (parked.remove(poll.delegate.id(), poll)) {
            poll.answer(EMPTY);
        }
    }

    /** Answers every parked poll empty, for shutdown. */
    @Override
    public void close() {
        for (String id : new ArrayList<>(parked.keySet())) {
            ParkedPoll poll = parked.remove(id);
            if (poll != null) {
                poll.answer(EMPTY);
            }
        }
        timer.shutdownNow();
        inserts.close();
    }
}
