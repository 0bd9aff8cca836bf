package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.Signal;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ProfileBook;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskAttempt;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.manager.testing.TaskSpecs;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.OutcomeResponse;
import org.opendelegate.protocol.OutcomeStatus;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.protocol.TaskError;
import org.opendelegate.protocol.TaskOutcome;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.testkit.MutableClock;

/**
 * The life of a lease, without HTTP: the real dispatcher, leases, outcomes and sweeper on a real H2 store,
 * with a clock the test moves. Delegates here are only entries in the store; the test plays their calls.
 */
class LeaseTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    // Delegates stay connected however far the clock moves: liveness is not what these tests are about.
    private static final DelegateTimings TIMINGS = new DelegateTimings(
            Duration.ofSeconds(10),
            Duration.ofDays(1),
            Duration.ofSeconds(20),
            LEASE,
            Duration.ofDays(1),
            Duration.ofDays(7),
            Duration.ofSeconds(2));
    private static final DispatchConfig CONFIG = new DispatchConfig(
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            3,
            Duration.ofMillis(250),
            Duration.ofMinutes(10));

    private final TestStore store = TestDatabases.h2();
    private final MutableClock clock = new MutableClock(T0);
    private TaskDao tasks;
    private DelegateDao delegates;
    private DelegateGroup group;
    private KnownDelegates directory;
    private TaskWaiters waiters;
    private Dispatcher dispatcher;
    private TaskLeases leases;
    private TaskOutcomes outcomes;
    private DispatchSweeper sweeper;
    private int taskCount;

    @BeforeEach
    void setUp() {
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
        tasks = new TaskDao(jdbi);
        delegates = new DelegateDao(jdbi);
        DelegateGroupDao groups = new DelegateGroupDao(jdbi);
        group = groups.getOrCreate("a1", "g", T0);
        directory = new KnownDelegates(
                delegates, groups, new ProfileBook(new DelegateProfileDao(jdbi), new ProfileRunDao(jdbi)));
        AffinityDao affinity = new AffinityDao(jdbi);
        waiters = new TaskWaiters(tasks);
        dispatcher = new Dispatcher(
                tasks,
                affinity,
                directory,
                TIMINGS,
                CONFIG,
                new TaskSecrets(new SecretBox(new byte[32])),
                waiters,
                new org.opendelegate.manager.metrics.ManagerMetrics(),
                clock);
        leases = new TaskLeases(
                tasks,
                new TaskLogDao(jdbi),
                dispatcher,
                TIMINGS,
                clock,
                org.opendelegate.manager.testing.TestLimits.rates(jdbi, clock),
                org.opendelegate.manager.config.LimitsConfig.DEFAULTS.taskLogMaxBytes());
        outcomes = new TaskOutcomes(tasks, affinity, new AuditDao(jdbi), dispatcher, clock);
        sweeper = new DispatchSweeper(tasks, dispatcher, leases, waiters, directory, TIMINGS, CONFIG, clock);
    }

    @AfterEach
    void tearDown() {
        dispatcher.close();
        store.close();
    }

    @Test
    void aPollTakesALeaseWithTheFirstFencingToken() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);

        TaskAssignment a = take(d);

        assertThat(a.taskId()).isEqualTo(task.id());
        assertThat(a.fencingToken()).isEqualTo(1);
        assertThat(a.attempt()).isEqualTo(1);
        Task leased = stored(task.id());
        assertThat(leased.state()).isEqualTo(TaskState.RUNNING);
        assertThat(leased.delegateId()).isEqualTo(d.id());
        assertThat(leased.leaseExpiresAt()).isEqualTo(T0.plus(LEASE));
    }

    @Test
    void aTaskSubmittedWhileAPollIsParkedIsLeasedToItAtOnce() {
        ResolvedDelegate d = delegate("d1");
        CompletableFuture<PollResponse> parked = dispatcher.poll(d, d.delegate().sessionId(), 1);
        assertThat(parked).isNotDone();

        Task task = submit(3, 300);

        assertThat(task.state()).isEqualTo(TaskState.RUNNING);
        assertThat(parked.getNow(null).assignments())
                .extracting(TaskAssignment::taskId)
                .containsExactly(task.id());
    }

    /**
     * A poison task: its stored payload (written by hand, past every request check) nests deeper than the
     * serializer writes. A Manager started on that store leases it together with a good task in one poll:
     * the answer carries the good one, the bad one is FAILED with the reason, nothing is left RUNNING.
     */
    @Test
    void aTaskThatCannotBeWrittenIsQuarantinedAndTheOtherTaskOfThePollIsDelivered() {
        Task bad = submit(3, 300);
        Task good = submit(3, 300);
        String deep = "[".repeat(2000) + "]".repeat(2000);
        store.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE task SET payload = :p WHERE id = :id")
                        .bind("p", deep)
                        .bind("id", bad.id())
                        .execute());
        dispatcher.close();
        dispatcher = new Dispatcher(
                tasks,
                new AffinityDao(store.database().jdbi()),
                directory,
                TIMINGS,
                CONFIG,
                new TaskSecrets(new SecretBox(new byte[32])),
                waiters,
                new org.opendelegate.manager.metrics.ManagerMetrics(),
                clock);
        dispatcher.syncQueue(tasks.queued(100), true, clock.instant());
        ResolvedDelegate d = delegate("d1");

        PollResponse answer = dispatcher.poll(d, d.delegate().sessionId(), 2).getNow(null);

        assertThat(answer).isNotNull();
        assertThat(answer.assignments()).extracting(TaskAssignment::taskId).containsExactly(good.id());
        Task quarantined = stored(bad.id());
        assertThat(quarantined.state()).isEqualTo(TaskState.FAILED);
        assertThat(quarantined.errorMessage()).contains("Quarantined", "nesting depth");
        assertThat(outcomesOf(bad.id())).containsExactly("QUARANTINED");
        assertThat(tasks.runningOn(d.id())).extracting(Task::id).containsExactly(good.id());
        assertThat(dispatcher.poll(d, d.delegate().sessionId(), 2)).isNotDone();
    }

    @Test
    void progressAndHeartbeatsRenewTheLeaseSoItDoesNotExpire() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment a = take(d);

        clock.advance(Duration.ofSeconds(20));
        leases.progress(
                d,
                task.id(),
                new TaskProgress(d.id(), d.delegate().sessionId(), a.fencingToken(), a.leaseId(), List.of()));
        assertThat(stored(task.id()).leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
        clock.advance(Duration.ofSeconds(20));
        leases.heartbeat(d, d.delegate().sessionId(), List.of(task.id()));
        clock.advance(Duration.ofSeconds(20));
        sweeper.tick();

        Task running = stored(task.id());
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.fencingToken()).isEqualTo(1);
    }

    @Test
    void anExpiredLeaseRequeuesTheTaskAndTheNextPollTakesItUnderANewToken() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        take(d);

        expireLease();

        Task requeued = stored(task.id());
        assertThat(requeued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.delegateId()).isNull();
        assertThat(outcomesOf(task.id())).containsExactly("LEASE_EXPIRED");
        ResolvedDelegate other = delegate("d2");
        TaskAssignment again = take(other);
        assertThat(again.taskId()).isEqualTo(task.id());
        assertThat(again.fencingToken()).isEqualTo(2);
        assertThat(again.attempt()).isEqualTo(2);
    }

    /** Without a sweep: the requeue itself offers the task to the polls parked now. */
    @Test
    void aRequeuedTaskGoesStraightToAParkedPoll() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        take(d);
        ResolvedDelegate other = delegate("d2");
        CompletableFuture<PollResponse> parked =
                dispatcher.poll(other, other.delegate().sessionId(), 1);

        leases.registered(restart(d), List.of());

        assertThat(parked.getNow(null).assignments())
                .extracting(TaskAssignment::taskId)
                .containsExactly(task.id());
        assertThat(stored(task.id()).delegateId()).isEqualTo(other.id());
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptFailsTheTaskAndTellsItsWaiters() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(1, 300);
        CompletableFuture<Task> ended = waiters.await(task.id());
        take(d);

        expireLease();

        Task failed = stored(task.id());
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(failed.errorMessage()).startsWith("Gave up after 1 attempt; the last: d1 stopped renewing");
        assertThat(ended.getNow(null)).extracting(Task::state).isEqualTo(TaskState.FAILED);
    }

    @Test
    void anExpiredLeasePastTheTasksTimeBudgetTimesItOut() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 20);
        take(d);

        expireLease();

        Task timedOut = stored(task.id());
        assertThat(timedOut.state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(timedOut.errorMessage()).startsWith("The task's time budget ran out;");
    }

    @Test
    void anExpiredLeaseOfATaskAskedToCancelCancelsIt() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        take(d);
        assertThat(tasks.requestCancel(task.id())).isTrue();

        expireLease();

        Task cancelled = stored(task.id());
        assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(cancelled.errorMessage()).startsWith("Cancelled; d1 stopped renewing");
    }

    @Test
    void anOutcomeIsAppliedOnceAndItsRetryIsAcknowledged() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        CompletableFuture<Task> ended = waiters.await(task.id());
        TaskAssignment a = take(d);

        OutcomeResponse first = report(d, task.id(), a.fencingToken(), OutcomeStatus.SUCCEEDED, null);
        OutcomeResponse retried = report(d, task.id(), a.fencingToken(), OutcomeStatus.SUCCEEDED, null);

        assertThat(first.disposition()).isEqualTo(OutcomeResponse.APPLIED);
        assertThat(retried.disposition()).isEqualTo(OutcomeResponse.ALREADY_APPLIED);
        assertThat(stored(task.id()).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(outcomesOf(task.id())).containsExactly("SUCCEEDED");
        assertThat(ended.getNow(null)).extracting(Task::state).isEqualTo(TaskState.SUCCEEDED);
    }

    /**
     * The same delegate lost its lease, took the task again under a newer fencing token, and then an outcome
     * of its first attempt arrives late: it must be refused, however much it looks like the current lease
     * (same task, same delegate, task running).
     */
    @Test
    void aStaleOutcomeFromTheSameDelegateAfterItReleasedTheTaskIsRefused() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment first = take(d);
        expireLease();
        TaskAssignment second = take(d);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());

        OutcomeResponse stale = report(d, task.id(), first.fencingToken(), OutcomeStatus.SUCCEEDED, null);

        assertThat(stale.disposition()).isEqualTo(OutcomeResponse.LEASE_LOST);
        assertThatThrownBy(() -> leases.progress(
                        d,
                        task.id(),
                        new TaskProgress(
                                d.id(), d.delegate().sessionId(), first.fencingToken(), first.leaseId(), List.of())))
                .hasMessageContaining("is no longer held");
        Task running = stored(task.id());
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.fencingToken()).isEqualTo(second.fencingToken());
        assertThat(report(d, task.id(), second.fencingToken(), OutcomeStatus.SUCCEEDED, null)
                        .disposition())
                .isEqualTo(OutcomeResponse.APPLIED);
    }

    @Test
    void aCapabilityFailureRequeuesTheTaskWhileAttemptsAreLeftAndFailsItAfterTheLast() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(2, 300);
        TaskAssignment first = take(d);

        report(d, task.id(), first.fencingToken(), OutcomeStatus.FAILED, ErrorKind.CAPABILITY);
        assertThat(stored(task.id()).state()).isEqualTo(TaskState.QUEUED);
        ResolvedDelegate other = delegate("d2");
        TaskAssignment second = take(other);
        report(other, task.id(), second.fencingToken(), OutcomeStatus.FAILED, ErrorKind.CAPABILITY);

        Task failed = stored(task.id());
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcomesOf(task.id())).containsExactly("FAILED", "FAILED");
    }

    @Test
    void aRestartedDelegateGivesBackTheTasksItNoLongerRunsAndKeepsTheOthers() {
        ResolvedDelegate d = delegate("d1");
        Task lost = submit(3, 300);
        Task kept = submit(3, 300);
        take(d);
        take(d);

        ResolvedDelegate restarted = restart(d);
        leases.registered(restarted, List.of(kept.id()));

        assertThat(stored(lost.id()).state()).isEqualTo(TaskState.QUEUED);
        assertThat(outcomesOf(lost.id())).containsExactly("DELEGATE_RESTARTED");
        Task stillRunning = stored(kept.id());
        assertThat(stillRunning.state()).isEqualTo(TaskState.RUNNING);
        assertThat(stillRunning.sessionId()).isEqualTo(restarted.delegate().sessionId());
    }

    /**
     * A single Manager changes its queue only through the dispatcher: the sweeper does not read the store's
     * queue every second (a backlog of thousands of rows a second, issue 16), only every 10 s, which still picks
     * up a task that reached the store behind the dispatcher's back (here: written by hand).
     */
    @Test
    void withoutSignalsTheSweeperReadsTheStoresQueueEveryTenSecondsNotEverySecond() {
        sweeper.tick();
        Task behind = queuedBehindTheDispatcher("behind");

        clock.advance(Duration.ofSeconds(1));
        sweeper.tick();
        assertThat(dispatcher.queued()).extracting(Task::id).doesNotContain(behind.id());

        clock.advance(DispatchSweeper.QUEUE_RESYNC_EVERY.minusSeconds(1));
        sweeper.tick();
        assertThat(dispatcher.queued()).extracting(Task::id).contains(behind.id());
    }

    /** A signal from another replica (a task ended there) makes the next sweep read the store's queue. */
    @Test
    void aSignalFromAnotherReplicaMakesTheNextSweepReadTheStoresQueue() {
        RecordedSignals signals = new RecordedSignals();
        dispatcher.joinCluster(signals);
        sweeper.tick();
        Task behind = queuedBehindTheDispatcher("elsewhere");

        signals.hear(Signal.TASK_ENDED, "some-other-task");
        clock.advance(Duration.ofSeconds(1));
        sweeper.tick();

        assertThat(dispatcher.queued()).extracting(Task::id).contains(behind.id());
    }

    /** The link to the store came back: signals may have been missed, so the next sweep reads the queue. */
    @Test
    void aLinkThatComesBackMakesTheNextSweepReadTheStoresQueue() {
        RecordedSignals signals = new RecordedSignals();
        dispatcher.joinCluster(signals);
        sweeper.tick();
        Task behind = queuedBehindTheDispatcher("after-gap");

        signals.link(true);
        clock.advance(Duration.ofSeconds(1));
        sweeper.tick();

        assertThat(dispatcher.queued()).extracting(Task::id).contains(behind.id());
    }

    /**
     * A poll looks at the oldest {@link Dispatcher#SCAN} tasks of its account. A task it may run behind that many
     * it may not reaches it through the sweeper's review, which offers tasks polls do not see.
     */
    @Test
    void theReviewOffersATaskBehindMoreThanAPollLooksAtToAnAskingPoll() {
        ResolvedDelegate d = delegate("d1");
        for (int i = 0; i < Dispatcher.SCAN; i++) {
            tasks.insert(queuedOfType("other-" + i, "not-run-here"));
        }
        Task echo = queuedOfType("echo-behind", "echo");
        tasks.insert(echo);
        sweeper.tick();

        CompletableFuture<PollResponse> poll = dispatcher.poll(d, d.delegate().sessionId(), 1);
        assertThat(poll).as("the poll sees only tasks it may not run").isNotDone();
        clock.advance(Duration.ofSeconds(1));
        sweeper.tick();

        assertThat(poll.getNow(null).assignments())
                .extracting(TaskAssignment::taskId)
                .containsExactly(echo.id());
    }

    private Task queuedOfType(String id, String type) {
        clock.advance(Duration.ofMillis(1));
        return Task.queued(id, "a1", TaskSpecs.plain(type, 3, 300_000), "test", clock.instant());
    }

    private Task queuedBehindTheDispatcher(String id) {
        Task task = Task.queued(id, "a1", TaskSpecs.echo(), "test", clock.instant());
        tasks.insert(task);
        return task;
    }

    /** Cluster signals a test fires by hand, as if another replica sent them. */
    private static final class RecordedSignals implements ClusterSignals {
        private final java.util.Map<Signal, List<Consumer<List<String>>>> listeners = new java.util.HashMap<>();
        private final List<Consumer<Boolean>> linkListeners = new java.util.ArrayList<>();

        void hear(Signal signal, String subject) {
            listeners.getOrDefault(signal, List.of()).forEach(l -> l.accept(List.of(subject)));
        }

        void link(boolean up) {
            linkListeners.forEach(l -> l.accept(up));
        }

        @Override
        public void publish(Signal signal, String subject) {}

        @Override
        public void subscribe(Signal signal, Consumer<List<String>> listener) {
            listeners.computeIfAbsent(signal, s -> new java.util.ArrayList<>()).add(listener);
        }

        @Override
        public void onLink(Consumer<Boolean> listener) {
            linkListeners.add(listener);
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void start() {}

        @Override
        public void close() {}
    }

    private ResolvedDelegate delegate(String name) {
        Delegate d = new Delegate(
                "id-" + name,
                "a1",
                group.id(),
                name,
                name,
                "10.0.0.1",
                DelegateType.SHELL,
                null,
                IdentityKind.STABLE,
                "0.1.0",
                "Primary",
                List.of(),
                List.of("echo"),
                4,
                null,
                null,
                "i-" + name,
                "session-" + name + "-1",
                T0,
                T0,
                T0,
                null,
                null);
        delegates.insert(d);
        return directory.refresh(d.id()).orElseThrow();
    }

    private ResolvedDelegate restart(ResolvedDelegate entry) {
        Delegate d = entry.delegate();
        delegates.updateRegistration(d.inNewSession(d.sessionId() + "-restarted", d.capacity(), clock.instant()));
        return directory.refresh(d.id()).orElseThrow();
    }

    private Task submit(int maxAttempts, long timeoutSeconds) {
        Task.Spec spec = TaskSpecs.plain("echo", maxAttempts, timeoutSeconds * 1000);
        taskCount++;
        return dispatcher
                .submit(Task.queued("t" + taskCount, "a1", spec, "test", clock.instant()))
                .task();
    }

    /** The delegate polls with one free slot and must be handed exactly one task at once. */
    private TaskAssignment take(ResolvedDelegate d) {
        PollResponse answer = dispatcher.poll(d, d.delegate().sessionId(), 1).getNow(null);
        assertThat(answer).as("the poll was answered at once").isNotNull();
        assertThat(answer.assignments()).hasSize(1);
        return answer.assignments().get(0);
    }

    /** Lets every running lease run out without renewal, then sweeps once. */
    private void expireLease() {
        clock.advance(LEASE.plusSeconds(1));
        sweeper.tick();
    }

    private OutcomeResponse report(
            ResolvedDelegate d, String taskId, long token, OutcomeStatus status, ErrorKind kind) {
        TaskError error = kind == null ? null : new TaskError(kind, "it went wrong");
        // The current lease id: a stale report is refused by its fencing token alone.
        TaskOutcome outcome = new TaskOutcome(taskId, token, stored(taskId).leaseId(), status, null, error);
        return outcomes.apply(d, new OutcomeReport(d.id(), d.delegate().sessionId(), List.of(outcome)))
                .results()
                .get(0);
    }

    private Task stored(String id) {
        return tasks.findById(id).orElseThrow();
    }

    private List<String> outcomesOf(String taskId) {
        return tasks.attempts(taskId).stream().map(TaskAttempt::outcome).toList();
    }
}
