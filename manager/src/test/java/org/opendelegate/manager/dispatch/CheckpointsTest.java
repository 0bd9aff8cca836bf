package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ProfileBook;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.testing.TaskSpecs;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.testkit.MutableClock;

/**
 * Checkpoints (issue 14), without HTTP: a lease holder's progress call saves the handler's state, the latest one
 * wins, a stale or malformed one is refused and not stored, and the next attempt's assignment carries it. The
 * real dispatcher, leases and sweeper on H2, with a clock the test moves; the test plays the delegates.
 */
class CheckpointsTest {
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
    private DispatchSweeper sweeper;
    private int taskCount;
    private final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

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
                org.opendelegate.manager.config.LimitsConfig.DEFAULTS.taskLogMaxBytes(),
                (task, checkpoint, lastLogId, at) ->
                        heard.add(checkpoint.path("step").asText() + "@" + lastLogId));
        sweeper = new DispatchSweeper(tasks, dispatcher, leases, waiters, directory, TIMINGS, CONFIG, clock);
    }

    @AfterEach
    void tearDown() {
        dispatcher.close();
        store.close();
    }

    @Test
    void aCheckpointIsStoredWithItsLinesAndTheLatestWins() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment a = take(d);
        assertThat(a.checkpoint()).as("a first attempt has nothing to resume").isNull();

        progress(d, a, List.of(new LogLine(clock.instant(), "preparing", 1L, null)), checkpoint("PREPARE"));
        progress(d, a, List.of(), null);
        progress(d, a, List.of(new LogLine(clock.instant(), "registering", 2L, null)), checkpoint("REGISTER"));

        assertThat(tasks.checkpoint(task.id())).contains("{\"step\":\"REGISTER\"}");
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).startsWith("PREPARE@");
        long first = Long.parseLong(heard.get(0).substring("PREPARE@".length()));
        long second = Long.parseLong(heard.get(1).substring("REGISTER@".length()));
        assertThat(first)
                .as("the lines sent with a checkpoint are stored before it")
                .isPositive();
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void theNextAttemptReceivesTheLatestCheckpoint() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment a = take(d);
        progress(d, a, List.of(), checkpoint("PREPARE"));
        progress(d, a, List.of(), checkpoint("UPDATE"));

        expireLease();
        TaskAssignment again = take(delegate("d2"));

        assertThat(again.taskId()).isEqualTo(task.id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.checkpoint()).isEqualTo(checkpoint("UPDATE"));
    }

    @Test
    void aStaleFencingTokenIsRefusedAndItsCheckpointNotStored() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment first = take(d);
        progress(d, first, List.of(), checkpoint("PREPARE"));
        expireLease();
        ResolvedDelegate other = delegate("d2");
        TaskAssignment second = take(other);

        assertThatThrownBy(() -> progress(d, first, List.of(), checkpoint("UPDATE")))
                .isInstanceOfSatisfying(
                        DomainProblem.class, p -> assertThat(p.code()).isEqualTo(ProblemCodes.LEASE_LOST));

        assertThat(tasks.checkpoint(task.id())).contains("{\"step\":\"PREPARE\"}");
        assertThat(heard).containsExactly(heard.get(0));
        progress(other, second, List.of(), checkpoint("WAIT"));
        assertThat(tasks.checkpoint(task.id())).contains("{\"step\":\"WAIT\"}");
    }

    @Test
    void aCheckpointOverTheLimitIsRefusedNamingItAndNothingChanges() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment a = take(d);
        progress(d, a, List.of(), checkpoint("PREPARE"));
        clock.advance(Duration.ofSeconds(10));
        Instant leaseBefore = stored(task.id()).leaseExpiresAt();
        // {"step":"x..."}: 11 bytes of JSON around the text, so this is exactly one byte too many.
        ObjectNode big =
                JsonNodeFactory.instance.objectNode().put("step", "x".repeat(TaskProgress.MAX_CHECKPOINT_BYTES - 10));
        ObjectNode fits =
                JsonNodeFactory.instance.objectNode().put("step", "x".repeat(TaskProgress.MAX_CHECKPOINT_BYTES - 11));

        assertThatThrownBy(() -> progress(d, a, List.of(new LogLine(clock.instant(), "not kept", 1L, null)), big))
                .isInstanceOfSatisfying(DomainProblem.class, p -> {
                    assertThat(p.kind()).isEqualTo(ProblemKind.INVALID);
                    assertThat(p.errors()).singleElement().satisfies(e -> {
                        assertThat(e.field()).isEqualTo("checkpoint");
                        assertThat(e.message()).contains(String.valueOf(TaskProgress.MAX_CHECKPOINT_BYTES));
                    });
                });

        assertThat(tasks.checkpoint(task.id())).contains("{\"step\":\"PREPARE\"}");
        assertThat(stored(task.id()).leaseExpiresAt())
                .as("the lease was not renewed")
                .isEqualTo(leaseBefore);
        assertThat(new TaskLogDao(store.database().jdbi()).lastId(task.id())).isZero();
        progress(d, a, List.of(), fits);
        assertThat(tasks.checkpoint(task.id()).orElseThrow()).hasSize(TaskProgress.MAX_CHECKPOINT_BYTES);
    }

    @Test
    void aCheckpointThatIsNotAnObjectIsRefusedNamingIt() {
        ResolvedDelegate d = delegate("d1");
        Task task = submit(3, 300);
        TaskAssignment a = take(d);

        for (JsonNode wrong : List.<JsonNode>of(
                JsonNodeFactory.instance.arrayNode().add(1),
                JsonNodeFactory.instance.textNode("PREPARE"),
                JsonNodeFactory.instance.numberNode(7))) {
            assertThatThrownBy(() -> progress(d, a, List.of(), wrong))
                    .isInstanceOfSatisfying(
                            DomainProblem.class,
                            p -> assertThat(p.errors()).singleElement().satisfies(e -> {
                                assertThat(e.field()).isEqualTo("checkpoint");
                                assertThat(e.message()).contains("JSON object");
                            }));
        }

        assertThat(tasks.checkpoint(task.id())).isEmpty();
        progress(d, a, List.of(), JsonNodeFactory.instance.nullNode());
        assertThat(tasks.checkpoint(task.id())).as("null saves none").isEmpty();
        assertThat(heard).isEmpty();
    }

    private void progress(ResolvedDelegate d, TaskAssignment a, List<LogLine> lines, JsonNode checkpoint) {
        leases.progress(
                d,
                a.taskId(),
                new TaskProgress(d.id(), d.delegate().sessionId(), a.fencingToken(), a.leaseId(), lines, checkpoint));
    }

    private static ObjectNode checkpoint(String step) {
        return JsonNodeFactory.instance.objectNode().put("step", step);
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

    private Task stored(String id) {
        return tasks.findById(id).orElseThrow();
    }
}
