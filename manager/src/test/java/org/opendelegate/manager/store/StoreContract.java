package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.IdentityKind;

/**
 * The one DAO test suite. It runs against embedded H2 and against PostgreSQL: the same migrations and
 * the same SQL must behave the same on both.
 */
abstract class StoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Rounds of each concurrency test: one round seldom makes callers collide in the store. */
    private static final int ROUNDS = 20;

    private TestStore store;
    private AccountDao accounts;
    private DelegateGroupDao groups;
    private DelegateDao delegates;
    private DelegateTokenDao tokens;
    private TaskDao tasks;
    private TaskLogDao logs;
    private AuditDao audit;
    private ApiKeyDao apiKeys;
    private UserDao users;
    private SessionDao sessions;

    abstract TestStore open();

    @BeforeEach
    void setUp() {
        store = open();
        var jdbi = store.database().jdbi();
        accounts = new AccountDao(jdbi);
        groups = new DelegateGroupDao(jdbi);
        delegates = new DelegateDao(jdbi);
        tokens = new DelegateTokenDao(jdbi);
        tasks = new TaskDao(jdbi);
        logs = new TaskLogDao(jdbi);
        audit = new AuditDao(jdbi);
        apiKeys = new ApiKeyDao(jdbi);
        users = new UserDao(jdbi);
        sessions = new SessionDao(jdbi);
        accounts.insert(new Account("a1", "Account one", T0));
        accounts.insert(new Account("a2", "Account two", T0));
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theStoreIsReachableAndAccountsRoundTrip() {
        assertThat(store.database().isReachable()).isTrue();
        assertThat(accounts.find("a1")).contains(new Account("a1", "Account one", T0));
        assertThat(accounts.list()).extracting(Account::id).containsExactly("a1", "a2");
    }

    /**
     * Two transactions that lock the same two rows in opposite orders deadlock; the database gives one of
     * them up, and the store runs that one again instead of failing the caller.
     */
    @Test
    void aTransactionGivenUpInADeadlockIsRunAgainAndBothCommit() throws Exception {
        var jdbi = store.database().jdbi();
        CountDownLatch bothHoldTheirFirstRow = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> renameBoth(jdbi, "a1", "a2", "first", bothHoldTheirFirstRow, runs));
            var second = pool.submit(() -> renameBoth(jdbi, "a2", "a1", "second", bothHoldTheirFirstRow, runs));
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        // H2 may give up both transactions of one deadlock; each then runs again, and both still commit.
        assertThat(runs.get()).as("the deadlock victim ran again").isGreaterThanOrEqualTo(3);
        String a1 = accounts.find("a1").orElseThrow().name();
        assertThat(a1).isEqualTo(accounts.find("a2").orElseThrow().name()).isIn("first", "second");
    }

    private static Void renameBoth(
            org.jdbi.v3.core.Jdbi jdbi,
            String one,
            String other,
            String name,
            CountDownLatch bothHoldTheirFirstRow,
            AtomicInteger runs)
            throws InterruptedException {
        jdbi.useTransaction(h -> {
            boolean firstRun = runs.incrementAndGet() <= 2;
            h.execute("UPDATE account SET name = ? WHERE id = ?", name, one);
            if (firstRun) {
                bothHoldTheirFirstRow.countDown();
                bothHoldTheirFirstRow.await(10, TimeUnit.SECONDS);
            }
            h.execute("UPDATE account SET name = ? WHERE id = ?", name, other);
        });
        return null;
    }

    @Test
    void apiKeysAreFoundByHashOnly() {
        apiKeys.insert(new ApiKey("k1", "a1", "ci", Role.VIEWER, T0, null, null, null), Secrets.hash("secret"));

        assertThat(apiKeys.findByHash(Secrets.hash("secret")))
                .get()
                .extracting(ApiKey::role)
                .isEqualTo(Role.VIEWER);
        assertThat(apiKeys.findByHash(Secrets.hash("other"))).isEmpty();
    }

    @Test
    void groupsAreUniquePerAccountAndCreatedOnceUnderConcurrency() throws Exception {
        Set<String> firstIds = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "ecs-prod-" + round;
            List<String> ids =
                    together(8, i -> () -> groups.getOrCreate("a1", name, T0).id());

            assertThat(Set.copyOf(ids)).as("group ids handed out for %s", name).hasSize(1);
            firstIds.add(ids.get(0));
        }

        assertThat(groups.list("a1")).hasSize(ROUNDS);
        assertThat(groups.getOrCreate("a2", "ecs-prod-0", T0).id()).isNotIn(firstIds);
    }

    @Test
    void groupSelectorsAreReplacedOnlyInTheirAccount() {
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);

        assertThat(groups.updateSelectors("a2", g.id(), List.of("x"), T0)).isFalse();
        assertThat(groups.updateSelectors("a1", g.id(), List.of("ecs", "prod"), T0.plusSeconds(1)))
                .isTrue();
        assertThat(groups.find("a1", g.id()).orElseThrow().selectors()).containsExactly("ecs", "prod");
        assertThat(groups.find("a2", g.id())).isEmpty();
    }

    @Test
    void groupScopesRoundTrip() {
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        GroupScopes scopes = new GroupScopes(
                List.of(java.util.Map.of("environmentType", "PROD", "application", "*")),
                List.of(java.util.Map.of("environment", "prod-east")));

        assertThat(g.scopes()).isEqualTo(GroupScopes.NONE);
        assertThat(groups.updateScopes("a1", g.id(), scopes, T0)).isTrue();
        assertThat(groups.find("a1", g.id()).orElseThrow().scopes()).isEqualTo(scopes);
    }

    @Test
    void affinityHistoryKeepsTheLatestSuccessAndCapabilityFailurePerDelegate() {
        AffinityDao affinity = new AffinityDao(store.database().jdbi());
        affinity.recordSuccess("a1", "aws-prod", "d1", T0);
        affinity.recordCapabilityFailure("a1", "aws-prod", "d1", T0.plusSeconds(5), "no credentials");
        affinity.recordSuccess("a1", "aws-prod", "d1", T0.plusSeconds(9));
        affinity.recordCapabilityFailure("a1", "aws-prod", "d2", T0, "x".repeat(2000));
        affinity.recordSuccess("a2", "aws-prod", "d9", T0);

        var history = affinity.forKey("a1", "aws-prod");
        assertThat(history).containsOnlyKeys("d1", "d2");
        assertThat(history.get("d1"))
                .isEqualTo(new DelegateAffinity("d1", T0.plusSeconds(9), T0.plusSeconds(5), "no credentials"));
        assertThat(history.get("d2").lastFailureMessage()).hasSize(1000);
    }

    @Test
    void tokensAreRevokedOnce() {
        tokens.insert(new DelegateToken("t1", "a1", "default", null, "system", T0, null, null), Secrets.hash("s"));

        assertThat(tokens.revoke("a2", "t1", T0)).isFalse();
        assertThat(tokens.revoke("a1", "t1", T0.plusSeconds(5))).isTrue();
        assertThat(tokens.revoke("a1", "t1", T0.plusSeconds(9))).isFalse();
        assertThat(tokens.findByHash(Secrets.hash("s")).orElseThrow().revokedAt())
                .isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aDelegateIsOneRecordPerIdentityAndHeartbeatsOnlyItsCurrentSession() {
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        Delegate d = delegate("d1", g, "s1");
        delegates.insert(d);
        Delegate again = withSession(d, "s2", T0.plusSeconds(60));
        delegates.updateRegistration(again);

        assertThat(delegates.list("a1")).hasSize(1);
        Delegate stored = delegates.findByIdentity("a1", g.id(), "d1").orElseThrow();
        assertThat(stored.sessionId()).isEqualTo("s2");
        assertThat(stored.firstRegisteredAt()).isEqualTo(T0);
        assertThat(stored.ecs().taskArn()).isEqualTo("arn:aws:ecs:us-east-1:1:task/c/t1");
        assertThat(delegates.heartbeat(d.id(), "s1", T0.plusSeconds(70), T0)).isFalse();
        assertThat(delegates.heartbeat(d.id(), "s2", T0.plusSeconds(70), T0)).isTrue();
        assertThat(delegates.markDisconnected(d.id(), "s2", T0.plusSeconds(80), "deregistered"))
                .isTrue();
        assertThat(delegates.heartbeat(d.id(), "s2", T0.plusSeconds(90), T0)).isFalse();
        assertThat(delegates.find("a2", d.id())).isEmpty();
        assertThat(delegates.delete("a1", d.id())).isTrue();
        assertThat(delegates.listAll()).isEmpty();
    }

    @Test
    void aHeartbeatAfterASilenceStartsANewConnection() {
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        delegates.insert(delegate("d1", g, "s1"));
        String id = delegates.list("a1").get(0).id();

        delegates.heartbeat(id, "s1", T0.plusSeconds(10), T0.plusSeconds(10).minusSeconds(30));
        assertThat(delegates.findById(id).orElseThrow().connectedSince()).isEqualTo(T0);
        delegates.heartbeat(id, "s1", T0.plusSeconds(100), T0.plusSeconds(100).minusSeconds(30));
        assertThat(delegates.findById(id).orElseThrow().connectedSince()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void aLivenessFlushWritesManyHeartbeatsAndAnOlderOneWrittenLateNeverMovesTheLastHeartbeatBack() {
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        delegates.insert(delegate("d1", g, "s1"));
        delegates.insert(delegate("d2", g, "s1"));
        String d1 = delegates.findByIdentity("a1", g.id(), "d1").orElseThrow().id();
        String d2 = delegates.findByIdentity("a1", g.id(), "d2").orElseThrow().id();

        // Replica B heard d1 at +20 s and flushes first; replica A heard it at +10 s and flushes after.
        assertThat(delegates.heartbeatAll(List.of(
                        new DelegateDao.Heartbeat(d1, "s1", T0.plusSeconds(20), T0.minusSeconds(10)),
                        new DelegateDao.Heartbeat(d2, "s1", T0.plusSeconds(20), T0.minusSeconds(10)))))
                .containsExactly(true, true);
        assertThat(delegates.heartbeatAll(List.of(
                        new DelegateDao.Heartbeat(d1, "s1", T0.plusSeconds(10), T0.minusSeconds(20)),
                        new DelegateDao.Heartbeat(d2, "s-old", T0.plusSeconds(30), T0))))
                .as("d1 is still current (its heartbeat is just not newer); d2's session is not")
                .containsExactly(true, false);

        assertThat(delegates.findById(d1).orElseThrow().lastHeartbeatAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(delegates.findById(d2).orElseThrow().lastHeartbeatAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aTaskIsLeasedByExactlyOneOfManyConcurrentClaims() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Task t = task("t" + round, null);
            tasks.insert(t);
            List<Optional<Task>> claims =
                    together(6, i -> () -> tasks.claim(t, "d" + i, "d" + i, "s", T0.plusSeconds(30), T0, "[]"));

            assertThat(claims)
                    .as("claims of %s that won", t.id())
                    .filteredOn(Optional::isPresent)
                    .hasSize(1);
            Task leased = tasks.findById(t.id()).orElseThrow();
            assertThat(leased.state()).isEqualTo(TaskState.RUNNING);
            assertThat(leased.fencingToken()).isEqualTo(1);
            assertThat(leased.attempts()).isEqualTo(1);
            assertThat(leased.delegateId())
                    .isEqualTo(claims.stream()
                            .flatMap(Optional::stream)
                            .findFirst()
                            .orElseThrow()
                            .delegateId());
            assertThat(tasks.attempts(t.id())).hasSize(1);
        }
    }

    @Test
    void aTaskStoredAlreadyLeasedReadsBackAsIfItHadBeenClaimed() {
        Task returned = task("t1", null).leasedTo("d1", "s1", T0.plusSeconds(30), T0, "[{\"trigger\":\"SUBMITTED\"}]");
        tasks.writeAll(List.of(new TaskDao.NewLeasedTask(returned, "delegate-one")));

        Task stored = tasks.findById("t1").orElseThrow();
        assertThat(stored).isEqualTo(returned);
        assertThat(stored.state()).isEqualTo(TaskState.RUNNING);
        assertThat(stored.delegateId()).isEqualTo("d1");
        assertThat(stored.sessionId()).isEqualTo("s1");
        assertThat(stored.fencingToken()).isEqualTo(1);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.leaseExpiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(stored.startedAt()).isEqualTo(T0);
        assertThat(stored.selectionLog()).contains("SUBMITTED");
        assertThat(tasks.attempts("t1")).singleElement().satisfies(a -> {
            assertThat(a.delegateName()).isEqualTo("delegate-one");
            assertThat(a.fencingToken()).isEqualTo(1);
        });
    }

    @Test
    void onlyTheCurrentFencingTokenFinishesATaskAndOnlyOnce() {
        Task t = task("t1", null);
        tasks.insert(t);
        Task leased =
                tasks.claim(t, "d1", "d1", "s", T0.plusSeconds(30), T0, "[]").orElseThrow();
        var result = JsonNodeFactory.instance.objectNode().put("ok", true);

        assertThat(tasks.finish(
                        "t1", leased.fencingToken() + 1, TaskState.SUCCEEDED, result, null, null, T0, "SUCCEEDED"))
                .isFalse();
        assertThat(tasks.finish("t1", leased.fencingToken(), TaskState.SUCCEEDED, result, null, null, T0, "SUCCEEDED"))
                .isTrue();
        assertThat(tasks.finish("t1", leased.fencingToken(), TaskState.FAILED, null, ErrorKind.TASK, "x", T0, "FAILED"))
                .isFalse();
        Task done = tasks.findById("t1").orElseThrow();
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.result()).isEqualTo(result);
        assertThat(tasks.attemptOutcome("t1", leased.fencingToken())).contains("SUCCEEDED");
    }

    @Test
    void oneClaimOfManyTasksLeasesOnlyThoseStillQueuedAndOpensTheirAttempts() {
        tasks.insertAll(List.of(task("t1", null), task("t2", null), task("t3", null)));
        Task taken = tasks.claim(task("t2", null), "other", "other", "s0", T0.plusSeconds(30), T0, "[]")
                .orElseThrow();

        List<Task> leased = tasks.claimAll(
                List.of(
                        new TaskDao.Claim(task("t1", null), "[1]"),
                        new TaskDao.Claim(task("t2", null), "[2]"),
                        new TaskDao.Claim(task("t3", null), "[3]")),
                "d1",
                "delegate-one",
                "s1",
                T0.plusSeconds(30),
                T0);

        assertThat(leased).extracting(Task::id).containsExactly("t1", "t3");
        assertThat(leased).allSatisfy(t -> assertThat(t.fencingToken()).isEqualTo(1));
        assertThat(tasks.findById("t3").orElseThrow().delegateId()).isEqualTo("d1");
        assertThat(tasks.findById("t3").orElseThrow().selectionLog()).isEqualTo("[3]");
        assertThat(tasks.findById("t2").orElseThrow().delegateId()).isEqualTo(taken.delegateId());
        assertThat(tasks.attempts("t2")).extracting(TaskAttempt::delegateName).containsExactly("other");
        assertThat(tasks.attempts("t3")).extracting(TaskAttempt::delegateName).containsExactly("delegate-one");
    }

    @Test
    void reportsCommittedTogetherApplyEachChangeOnceInOrderAndAnswerEachReport() {
        tasks.insertAll(List.of(task("t1", null), task("t2", null), task("t3", null)));
        for (String id : List.of("t1", "t2", "t3")) {
            assertThat(tasks.claim(task(id, null), "d1", "d1", "s", T0.plusSeconds(30), T0, "[]"))
                    .isPresent();
        }
        var ok = JsonNodeFactory.instance.objectNode().put("ok", true);
        TaskDao.OutcomeChange t1Done =
                new TaskDao.OutcomeChange("t1", 1, false, TaskState.SUCCEEDED, ok, null, null, "SUCCEEDED");
        TaskDao.OutcomeChange t1Again = new TaskDao.OutcomeChange(
                "t1", 1, true, TaskState.QUEUED, null, ErrorKind.CAPABILITY, "cannot", "FAILED");
        TaskDao.OutcomeChange t2Back = new TaskDao.OutcomeChange(
                "t2", 1, true, TaskState.QUEUED, null, ErrorKind.CAPABILITY, "cannot", "FAILED");
        TaskDao.OutcomeChange t3Stale =
                new TaskDao.OutcomeChange("t3", 7, false, TaskState.SUCCEEDED, ok, null, null, "SUCCEEDED");
        TaskDao.OutcomeChange t3Failed =
                new TaskDao.OutcomeChange("t3", 1, false, TaskState.FAILED, null, ErrorKind.TASK, "boom", "FAILED");

        List<List<Boolean>> answers = tasks.applyReports(List.of(
                new TaskDao.OutcomeChanges(List.of(t1Done, t2Back), T0.plusSeconds(1)),
                new TaskDao.OutcomeChanges(List.of(), T0.plusSeconds(2)),
                new TaskDao.OutcomeChanges(List.of(t1Again, t3Stale, t3Failed), T0.plusSeconds(3))));

        assertThat(answers).containsExactly(List.of(true, true), List.of(), List.of(false, false, true));
        Task t1 = tasks.findById("t1").orElseThrow();
        assertThat(t1.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(t1.result()).isEqualTo(ok);
        assertThat(t1.finishedAt()).isEqualTo(T0.plusSeconds(1));
        Task t2 = tasks.findById("t2").orElseThrow();
        assertThat(t2.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t2.delegateId()).isNull();
        Task t3 = tasks.findById("t3").orElseThrow();
        assertThat(t3.state()).isEqualTo(TaskState.FAILED);
        assertThat(t3.errorMessage()).isEqualTo("boom");
        assertThat(t3.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(tasks.attempts("t1")).extracting(TaskAttempt::outcome).containsExactly("SUCCEEDED");
        assertThat(tasks.attempts("t2")).extracting(TaskAttempt::outcome).containsExactly("FAILED");
        assertThat(tasks.attempts("t3")).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("FAILED");
            assertThat(a.detail()).isEqualTo("boom");
            assertThat(a.endedAt()).isEqualTo(T0.plusSeconds(3));
        });
    }

    @Test
    void newTasksLeasesAndReportsWrittenTogetherApplyInTheirOrderAndAnswerEachWrite() {
        var ok = JsonNodeFactory.instance.objectNode().put("ok", true);
        TaskDao.Lease takeBoth = new TaskDao.Lease(
                List.of(new TaskDao.Claim(task("t1", null), "[1]"), new TaskDao.Claim(task("t2", null), "[2]")),
                "d1",
                "delegate-one",
                "s1",
                T0.plusSeconds(30),
                T0);
        TaskDao.OutcomeChanges t1Done = new TaskDao.OutcomeChanges(
                List.of(new TaskDao.OutcomeChange("t1", 1, false, TaskState.SUCCEEDED, ok, null, null, "SUCCEEDED")),
                T0.plusSeconds(1));
        TaskDao.Lease t1Again = new TaskDao.Lease(
                List.of(new TaskDao.Claim(task("t1", null), "[again]")), "d2", "delegate-two", "s2", T0, T0);

        List<Object> answers = tasks.writeAll(List.of(
                new TaskDao.NewTask(task("t1", null)),
                new TaskDao.NewTask(task("t2", null)),
                takeBoth,
                t1Done,
                t1Again,
                new TaskDao.NewTask(task("t3", null))));

        assertThat(answers).hasSize(6);
        assertThat(answers.subList(0, 2)).containsOnly(true);
        assertThat((List<?>) answers.get(2)).extracting(t -> ((Task) t).id()).containsExactly("t1", "t2");
        assertThat(answers.get(3)).isEqualTo(List.of(true));
        assertThat((List<?>) answers.get(4)).isEmpty(); // t1 had ended when this lease was tried: no lease
        assertThat(answers.get(5)).isEqualTo(true);
        assertThat(tasks.findById("t1").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(tasks.findById("t2").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(tasks.findById("t3").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(tasks.attempts("t1")).extracting(TaskAttempt::outcome).containsExactly("SUCCEEDED");
        assertThat(tasks.attempts("t2")).extracting(TaskAttempt::delegateName).containsExactly("delegate-one");
    }

    @Test
    void tasksStoredAlreadyLeasedAmongOtherWritesOpenTheirAttemptsByTheirOwnDelegate() {
        Task toOne = task("t2", null).leasedTo("d1", "s1", T0.plusSeconds(30), T0, "[1]");
        Task toTwo = task("t3", null).leasedTo("d2", "s2", T0.plusSeconds(31), T0.plusSeconds(1), "[2]");

        List<Object> answers = tasks.writeAll(List.of(
                new TaskDao.NewTask(task("t1", null)),
                new TaskDao.NewLeasedTask(toOne, "delegate-one"),
                new TaskDao.NewLeasedTask(toTwo, "delegate-two")));

        assertThat(answers).containsExactly(true, true, true);
        assertThat(tasks.findById("t1").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(tasks.findById("t2").orElseThrow()).isEqualTo(toOne);
        assertThat(tasks.findById("t3").orElseThrow()).isEqualTo(toTwo);
        assertThat(tasks.attempts("t2")).singleElement().satisfies(a -> {
            assertThat(a.delegateName()).isEqualTo("delegate-one");
            assertThat(a.startedAt()).isEqualTo(T0);
        });
        assertThat(tasks.attempts("t3")).singleElement().satisfies(a -> {
            assertThat(a.delegateName()).isEqualTo("delegate-two");
            assertThat(a.startedAt()).isEqualTo(T0.plusSeconds(1));
        });
        assertThat(tasks.attempts("t1")).isEmpty();
    }

    @Test
    void aWriteThatFailsFailsTheWholeTransaction() {
        tasks.insert(task("t1", null));

        assertThatThrownBy(() -> tasks.writeAll(
                        List.of(new TaskDao.NewTask(task("t2", null)), new TaskDao.NewTask(task("t1", null)))))
                .isInstanceOf(RuntimeException.class);

        assertThat(tasks.findById("t2")).isEmpty(); // the group commit then stores each write on its own
    }

    @Test
    void aRequeuedTaskGetsANewFencingTokenAndTheOldOneIsRefused() {
        Task t = task("t1", null);
        tasks.insert(t);
        Task first =
                tasks.claim(t, "d1", "d1", "s", T0.plusSeconds(30), T0, "[]").orElseThrow();
        assertThat(tasks.expiredLeases(T0.plusSeconds(31), 10))
                .extracting(Task::id)
                .containsExactly("t1");
        assertThat(tasks.requeue("t1", first.fencingToken(), T0.plusSeconds(31), "LEASE_EXPIRED", "gone"))
                .isTrue();
        Task queued = tasks.findById("t1").orElseThrow();
        Task second = tasks.claim(queued, "d2", "d2", "s2", T0.plusSeconds(90), T0.plusSeconds(32), "[]")
                .orElseThrow();

        assertThat(second.fencingToken()).isEqualTo(2);
        assertThat(tasks.finish("t1", first.fencingToken(), TaskState.SUCCEEDED, null, null, null, T0, "SUCCEEDED"))
                .isFalse();
        assertThat(tasks.renewLease("t1", first.fencingToken(), T0.plusSeconds(100)))
                .isFalse();
        assertThat(tasks.renewLease("t1", second.fencingToken(), T0.plusSeconds(100)))
                .isTrue();
        assertThat(tasks.attempts("t1")).extracting(TaskAttempt::outcome).containsExactly("LEASE_EXPIRED", null);
        assertThat(tasks.attemptOutcome("t1", first.fencingToken())).contains("LEASE_EXPIRED");
    }

    @Test
    void theQueueIsReadOldestFirstAndADelegatesRunningTasksByDelegate() {
        // Ids that do not sort in creation order, so that only the creation time can give the expected order.
        tasks.insertAll(List.of(
                queuedAt("q-a", "a1", 3),
                queuedAt("q-b", "a2", 1),
                queuedAt("q-c", "a1", 2),
                queuedAt("q-d", "a1", 4),
                queuedAt("q-e", "a2", 5)));
        Task first = tasks.claim(tasks.findById("q-b").orElseThrow(), "d1", "d1", "s", T0.plusSeconds(30), T0, "[]")
                .orElseThrow();
        assertThat(tasks.requeue("q-b", first.fencingToken(), T0.plusSeconds(31), "LEASE_EXPIRED", "gone"))
                .isTrue();
        assertThat(tasks.claim(tasks.findById("q-d").orElseThrow(), "d2", "d2", "s", T0.plusSeconds(30), T0, "[]")
                        .orElseThrow())
                .extracting(Task::state)
                .isEqualTo(TaskState.RUNNING);
        assertThat(tasks.finishQueued("q-e", TaskState.CANCELLED, null, "Cancelled.", T0))
                .isTrue();

        assertThat(tasks.queued(10)).extracting(Task::id).containsExactly("q-b", "q-c", "q-a");
        assertThat(tasks.queued(2)).extracting(Task::id).containsExactly("q-b", "q-c");
        assertThat(tasks.runningOn("d1")).isEmpty();
        assertThat(tasks.runningOn("d2")).extracting(Task::id).containsExactly("q-d");
    }

    /**
     * One index, {@code (state, delegate_id, created_at)}, answers the queue and a delegate's running tasks (V27). On
     * PostgreSQL the queue is read from it in order, without sorting the whole queue.
     */
    @Test
    void theQueueAndADelegatesRunningTasksAreReadThroughTheStateAndDelegateIndex() {
        boolean postgres = store.database().isPostgres();
        // A queue long enough that sorting all of it is not the cheap plan.
        tasks.insertAll(java.util.stream.IntStream.range(0, 2_000)
                .mapToObj(i -> queuedAt("q" + i, "a1", i))
                .toList());
        List<String> plans = store.database().jdbi().withHandle(h -> {
            h.execute("ANALYZE");
            return List.of(TaskDao.QUEUED.replace(":limit", "100"), TaskDao.RUNNING_ON.replace(":d", "'d1'")).stream()
                    .map(sql -> String.join(
                            "\n",
                            h.createQuery("EXPLAIN " + sql).mapTo(String.class).list()))
                    .toList();
        });
        String queue = plans.get(0);
        String running = plans.get(1);
        assertThat(queue).containsIgnoringCase("task_state_delegate_idx");
        assertThat(running).containsIgnoringCase("task_state_delegate_idx");
        if (postgres) {
            // no Sort node over the whole queue (the incremental sort of equal creation times by id is fine)
            assertThat(queue).doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort\\s+\\(");
            assertThat(running).contains("Index Cond").containsPattern("delegate_id\\)?::text = 'd1'");
        } else {
            assertThat(running).contains("DELEGATE_ID = 'd1'").contains("STATE = 'RUNNING'");
        }
    }

    /**
     * {@code /metrics} counts the queued and running tasks every second: from their range of the state index, so
     * that the count costs what is in flight, never the history of ended tasks.
     */
    @Test
    void theTasksInFlightAreCountedFromTheStateIndexWithoutReadingTheHistory() {
        boolean postgres = store.database().isPostgres();
        tasks.insertAll(java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> queuedAt("h" + i, "a1", i))
                .toList());
        store.database().jdbi().useHandle(h -> h.execute("UPDATE task SET state = 'SUCCEEDED' WHERE id LIKE 'h%'"));
        tasks.insert(queuedAt("q1", "a1", 30_000));
        Task t = queuedAt("r1", "a1", 30_001);
        tasks.insert(t);
        var unused =
                tasks.claim(t, "d1", "d1", "s1", T0.plusSeconds(30), T0, "[]").orElseThrow();

        assertThat(tasks.countActive())
                .containsEntry(TaskState.QUEUED, 1L)
                .containsEntry(TaskState.RUNNING, 1L)
                .containsEntry(TaskState.SUCCEEDED, 0L)
                .hasSize(TaskState.values().length);
        assertThat(tasks.countByState())
                .containsEntry(TaskState.QUEUED, 1L)
                .containsEntry(TaskState.RUNNING, 1L)
                .containsEntry(TaskState.SUCCEEDED, 20_000L);
        String plan = store.database().jdbi().withHandle(h -> {
            h.execute("ANALYZE");
            return String.join(
                    "\n",
                    h.createQuery("EXPLAIN " + TaskDao.COUNT_ACTIVE)
                            .mapTo(String.class)
                            .list());
        });
        assertThat(plan).containsIgnoringCase("task_state_delegate_idx");
        if (postgres) {
            assertThat(plan).doesNotContain("Seq Scan");
        }
    }

    /**
     * The retention's look for ended tasks reads the account's tasks by state in creation order, sorting none, in a
     * store where they are a few among many.
     */
    @Test
    void endedTasksAreFoundThroughTheAccountAndStateIndexOldestFirst() {
        boolean postgres = store.database().isPostgres();
        for (int i = 0; i < 300; i++) {
            tasks.insert(queuedAt("e" + i, "a1", i));
            tasks.finishQueued("e" + i, TaskState.CANCELLED, null, "by hand", T0.plusSeconds(i));
        }
        tasks.insertAll(java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> queuedAt("q" + i, "a1", 86_400 + i))
                .toList());
        String plan = store.database().jdbi().withHandle(h -> {
            h.execute("ANALYZE");
            String sql = TaskDao.ENDED_BEFORE
                    .replace(":a", "'a1'")
                    .replace(":s", "'CANCELLED'")
                    .replace(":cut", "TIMESTAMP WITH TIME ZONE '2026-01-01 00:10:00+00'")
                    .replace(":n", "200");
            return String.join(
                    "\n", h.createQuery("EXPLAIN " + sql).mapTo(String.class).list());
        });
        assertThat(plan).containsIgnoringCase("task_account_state_idx");
        if (postgres) {
            assertThat(plan).doesNotContainPattern("(?m)^\\s*(->\\s*)?Sort\\s+\\(");
        }
        assertThat(tasks.endedBefore("a1", TaskState.CANCELLED, T0.plusSeconds(600), 200))
                .hasSize(200)
                .startsWith("e0", "e1", "e2");
    }

    private static Task queuedAt(String id, String accountId, int second) {
        return task(id, accountId, null, "api", T0.plusSeconds(second));
    }

    @Test
    void idempotencyKeysAreUniquePerAccount() {
        tasks.insert(task("t1", "deploy-42"));

        assertThat(tasks.findByIdempotencyKey("a1", "deploy-42")).map(Task::id).contains("t1");
        assertThat(tasks.findById("t1").orElseThrow().scope()).containsEntry("environmentType", "PROD");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tasks.insert(task("t2", "deploy-42")))
                .satisfies(e -> assertThat(Rows.isUniqueViolation(e)).isTrue());
        tasks.insert(task("t3", null));
        tasks.insert(task("t4", null));
        assertThat(tasks.list("a1", TaskState.QUEUED, "echo", List.of(), 10)).hasSize(3);
    }

    @Test
    void tasksAreListedBySource() {
        tasks.insert(task("t1", null));
        tasks.insert(task("t2", null, "console-lookup"));
        tasks.insert(task("t3", null, "lookup"));

        assertThat(tasks.list("a1", null, null, List.of(), 10))
                .extracting(Task::source)
                .containsExactlyInAnyOrder("api", "console-lookup", "lookup");
        assertThat(tasks.list("a1", null, null, List.of("api", "lookup"), 10))
                .extracting(Task::id)
                .containsExactlyInAnyOrder("t1", "t3");
        assertThat(tasks.list("a1", null, null, List.of("console-lookup"), 10))
                .extracting(Task::id)
                .containsExactly("t2");
        assertThat(tasks.findById("t2").orElseThrow().source()).isEqualTo("console-lookup");
    }

    @Test
    void leasesOfADelegateAreRenewedTransferredAndCancelledByFlag() {
        Task t = task("t1", null);
        tasks.insert(t);
        var unused =
                tasks.claim(t, "d1", "d1", "s1", T0.plusSeconds(30), T0, "[]").orElseThrow();

        assertThat(tasks.heldBy("d1", List.of("t1", "nope")))
                .extracting(Task::id)
                .containsExactly("t1");
        assertThat(tasks.transferLeases("d1", "s2", List.of("t1"), T0.plusSeconds(60)))
                .isEqualTo(1);
        assertThat(tasks.renewLeases("d1", "s2", List.of("t1"), T0.plusSeconds(90)))
                .isEqualTo(1);
        assertThat(tasks.findById("t1").orElseThrow().leaseExpiresAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(tasks.requestCancel("t1")).isTrue();
        assertThat(tasks.runningWithCancelRequested(10)).extracting(Task::id).containsExactly("t1");
        assertThat(tasks.countByState()).containsEntry(TaskState.RUNNING, 1L).containsEntry(TaskState.QUEUED, 0L);
    }

    @Test
    void aSweeperViewOlderThanTheTasksLastLeaseEndsNothing() {
        tasks.insert(task("t1", null));
        long seen = tasks.findById("t1").orElseThrow().fencingToken();

        assertThat(tasks.finishQueued(
                        "t1", seen + 1, TaskState.NOT_ASSIGNED, ErrorKind.CAPABILITY, "stale view", T0, null))
                .as("another replica leased and requeued it since")
                .isFalse();
        assertThat(tasks.findById("t1").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(tasks.finishQueued(
                        "t1", seen, TaskState.NOT_ASSIGNED, ErrorKind.CAPABILITY, "no delegate", T0, null))
                .isTrue();
    }

    @Test
    void queuedTasksEndWithAReason() {
        tasks.insert(task("t1", null));

        assertThat(tasks.finishQueued("t1", TaskState.NOT_ASSIGNED, ErrorKind.CAPABILITY, "no delegate", T0))
                .isTrue();
        assertThat(tasks.finishQueued("t1", TaskState.CANCELLED, null, "late", T0))
                .isFalse();
        assertThat(tasks.terminalAmong(List.of("t1")))
                .extracting(Task::errorMessage)
                .containsExactly("no delegate");
    }

    @Test
    void tasksThatEndedBeforeACutoffAreFoundOldestFirstAndRemovedWithTheirAttemptsLinesAndSecretReferences() {
        Instant cutoff = T0.plus(Duration.ofDays(90));
        // Ended long ago, in every way a task ends: removed.
        Task ran = task("ran", "a1", null, "api", T0).leasedTo("d1", "s1", T0.plusSeconds(30), T0, "[]");
        tasks.writeAll(List.of(new TaskDao.NewLeasedTask(ran, "delegate-one")));
        assertThat(tasks.finish("ran", ran.fencingToken(), TaskState.SUCCEEDED, null, null, null, T0, "SUCCEEDED"))
                .isTrue();
        logs.append("a1", "ran", 1, numbered(1, "one", "two", "three"));
        tasks.insert(task("cancelled", "a1", null, "api", T0.plusSeconds(1)));
        assertThat(tasks.finishQueued("cancelled", TaskState.CANCELLED, null, "by hand", T0.plusSeconds(2)))
                .isTrue();
        // Ended just before the cutoff, after the others: found last.
        tasks.insert(task("late", "a1", null, "api", T0.plusSeconds(3)));
        assertThat(tasks.finishQueued("late", TaskState.CANCELLED, null, "by hand", cutoff.minusMillis(1)))
                .isTrue();
        logs.append("a1", "late", 0, numbered(1, "a", "b"));
        // Kept: ended at the cutoff; not ended, however old; ran a deployment; another account's.
        tasks.insert(task("recent", "a1", null, "api", T0.plusSeconds(4)));
        assertThat(tasks.finishQueued("recent", TaskState.CANCELLED, null, "by hand", cutoff))
                .isTrue();
        logs.append("a1", "recent", 0, numbered(1, "kept"));
        tasks.insert(task("queued", "a1", null, "api", T0));
        Task running = task("running", "a1", null, "api", T0).leasedTo("d1", "s1", T0.plusSeconds(30), T0, "[]");
        tasks.writeAll(List.of(new TaskDao.NewLeasedTask(running, "delegate-one")));
        tasks.insert(task("deployed", "a1", null, "api", T0));
        assertThat(tasks.finishQueued("deployed", TaskState.CANCELLED, null, "by hand", T0))
                .isTrue();
        insertDeploymentOf("deployed");
        tasks.insert(task("other", "a2", null, "api", T0));
        assertThat(tasks.finishQueued("other", TaskState.CANCELLED, null, "by hand", T0))
                .isTrue();
        var jdbi = store.database().jdbi();
        for (String id : List.of("ran", "recent")) {
            jdbi.useHandle(h -> h.execute(
                    "INSERT INTO task_secret_ref (task_id, env_name, account_id, secret_name, secret_version, "
                            + "created_at) VALUES (?, 'DB_PASSWORD', 'a1', 'db', 1, ?)",
                    id,
                    Rows.timestamp(T0)));
        }

        assertThat(tasks.endedBefore("a1", TaskState.CANCELLED, cutoff, 10)).containsExactly("cancelled", "late");
        assertThat(tasks.endedBefore("a1", TaskState.CANCELLED, cutoff, 1)).containsExactly("cancelled");
        assertThat(tasks.endedBefore("a1", TaskState.SUCCEEDED, cutoff, 10)).containsExactly("ran");
        assertThat(tasks.endedBefore("a1", TaskState.FAILED, cutoff, 10)).isEmpty();
        assertThat(tasks.endedBefore("a2", TaskState.CANCELLED, cutoff, 10)).containsExactly("other");
        assertThatThrownBy(() -> tasks.endedBefore("a1", TaskState.RUNNING, cutoff, 10))
                .isInstanceOf(IllegalArgumentException.class);

        // Lines go a bounded number at a time, across the tasks named; another task's lines stay.
        assertThat(tasks.deleteLogLines(List.of("ran", "late"), 2)).isEqualTo(2);
        assertThat(logs.after("ran", 0, 10)).extracting(TaskLogLine::line).containsExactly("three");
        assertThat(tasks.deleteLogLines(List.of("ran", "late"), 2)).isEqualTo(2);
        assertThat(logs.after("late", 0, 10)).extracting(TaskLogLine::line).containsExactly("b");
        assertThat(tasks.deleteLogLines(List.of("ran", "late"), 2)).isEqualTo(1);
        assertThat(tasks.deleteLogLines(List.of("ran", "late"), 2)).isZero();
        assertThat(logs.after("recent", 0, 10)).hasSize(1);
        // A task that has not ended is never deleted, even when named.
        assertThat(tasks.deleteEnded(List.of("ran", "cancelled", "late", "queued", "running")))
                .isEqualTo(3);

        assertThat(tasks.findByIds(
                                List.of("ran", "cancelled", "late", "recent", "queued", "running", "deployed", "other"))
                        .keySet())
                .containsExactlyInAnyOrder("recent", "queued", "running", "deployed", "other");
        assertThat(tasks.attempts("ran")).isEmpty();
        assertThat(tasks.attempts("running")).hasSize(1);
        List<String> secretRefs = jdbi.withHandle(h -> h.createQuery("SELECT task_id FROM task_secret_ref")
                .mapTo(String.class)
                .list());
        assertThat(secretRefs).containsExactly("recent");
        assertThat(tasks.deleteEnded(List.of())).isZero();
        assertThat(tasks.deleteEnded(List.of("ran"))).as("already gone").isZero();
    }

    /** A finished deployment run by the task, with what the table requires. */
    private void insertDeploymentOf(String taskId) {
        store.database()
                .jdbi()
                .useHandle(h -> h.execute(
                        "INSERT INTO deployment (id, account_id, cloud_provider_id, cloud_provider_name, region, "
                                + "cluster, service, service_key, state, dry_run, request, task_id, steps, "
                                + "submitted_by, submitted_at) VALUES (?, 'a1', 'p1', 'aws', 'eu-west-1', "
                                + "'c', 's', 'k', 'SUCCEEDED', FALSE, '{}', ?, '[]', 'alice', ?)",
                        "dep-" + taskId,
                        taskId,
                        Rows.timestamp(T0)));
    }

    @Test
    void logLinesComeBackInOrderAfterACursor() {
        tasks.insert(task("t1", null));
        logs.append(
                "a1",
                "t1",
                1,
                List.of(
                        TaskLogDao.line(T0, "one"),
                        TaskLogDao.line(T0, "two"),
                        TaskLogDao.line(T0, "x".repeat(70_000))));

        List<TaskLogLine> all = logs.after("t1", 0, 100);
        assertThat(all).extracting(TaskLogLine::line).startsWith("one", "two");
        assertThat(all.get(2).line()).hasSize(TaskLogDao.MAX_LINE_LENGTH);
        assertThat(logs.after("t1", all.get(0).id(), 100)).hasSize(2);
    }

    @Test
    void numberedLinesAreStoredOnceInOrderPerAttempt() {
        tasks.insert(task("t1", null));
        assertThat(logs.append("a1", "t1", 1, numbered(1, "one", "two"))).isEqualTo(2);
        // The same call again (its answer was lost), then one that overlaps it.
        assertThat(logs.append("a1", "t1", 1, numbered(1, "one", "two"))).isZero();
        assertThat(logs.append("a1", "t1", 1, numbered(2, "two", "three"))).isEqualTo(1);
        // A line that comes after a higher number is out of order and ignored.
        assertThat(logs.append("a1", "t1", 1, List.of(TaskLogDao.line(T0, "late", 1, "stderr"))))
                .isZero();
        // A new attempt numbers from 1 again; lines without numbers are stored as they come.
        assertThat(logs.append("a1", "t1", 2, numbered(1, "again"))).isEqualTo(1);
        assertThat(logs.append("a1", "t1", 2, List.of(TaskLogDao.line(T0, "old delegate"))))
                .isEqualTo(1);

        List<TaskLogLine> all = logs.after("t1", 0, 100);
        assertThat(all).extracting(TaskLogLine::line).containsExactly("one", "two", "three", "again", "old delegate");
        assertThat(all).extracting(TaskLogLine::stream).containsExactly("stdout", "stdout", "stdout", "stdout", null);
    }

    private static List<TaskLogLine> numbered(long first, String... texts) {
        List<TaskLogLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            lines.add(TaskLogDao.line(T0, texts[i], first + i, "stdout"));
        }
        return lines;
    }

    @Test
    void theAuditTrailListsNewestFirst() {
        audit.record("a1", T0, "system", "one", "delegate", "d1", null);
        audit.record("a1", T0.plusSeconds(1), "system", "two", "delegate", "d1", "x".repeat(9000));
        audit.record("a2", T0, "system", "other", "delegate", "d1", null);

        assertThat(audit.list("a1", 10)).extracting(AuditEvent::action).containsExactly("two", "one");
        assertThat(audit.listFor("a1", "delegate", "d1", 1)).hasSize(1);
    }

    @Test
    void usernamesAreUniqueAcrossAccountsAndPasswordsChangeOnlyInTheirAccount() {
        ConsoleUser alice = user("u1", "a1", "alice");
        assertThat(users.insert(alice)).isTrue();
        assertThat(users.insert(user("u2", "a2", "alice"))).isFalse();
        assertThat(users.insert(user("u3", "a1", "bob"))).isTrue();

        assertThat(users.findByUsername("alice")).contains(alice);
        assertThat(users.list("a1")).extracting(ConsoleUser::username).containsExactly("alice", "bob");
        assertThat(users.count("a2")).isZero();
        assertThat(users.find("a2", "u1")).isEmpty();
        assertThat(users.updatePassword("a2", "u1", "$2b$11$other", T0.plusSeconds(5)))
                .isFalse();
        assertThat(users.updatePassword("a1", "u1", "$2b$11$new", T0.plusSeconds(5)))
                .isTrue();
        users.recordSignIn("u1", T0.plusSeconds(9));
        ConsoleUser changed = users.findById("u1").orElseThrow();
        assertThat(changed.passwordHash()).isEqualTo("$2b$11$new");
        assertThat(changed.passwordChangedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(changed.lastSignInAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void sessionsAreFoundByHashTouchedAndSweptWhenIdleOrPastTheirEnd() {
        users.insert(user("u1", "a1", "alice"));
        sessions.insert(new ConsoleSession("h-fresh", "u1", "csrf-1", T0, T0, T0.plusSeconds(3600)));
        sessions.insert(new ConsoleSession("h-idle", "u1", "csrf-2", T0, T0.minusSeconds(4000), T0.plusSeconds(3600)));
        sessions.insert(new ConsoleSession("h-old", "u1", "csrf-3", T0, T0, T0.minusSeconds(1)));

        sessions.touch("h-fresh", T0.plusSeconds(60));
        assertThat(sessions.find("h-fresh").orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(sessions.find("h-fresh").orElseThrow().csrfToken()).isEqualTo("csrf-1");
        assertThat(sessions.deleteExpired(T0, T0.minusSeconds(1800))).isEqualTo(2);
        assertThat(sessions.find("h-idle")).isEmpty();
        assertThat(sessions.find("h-old")).isEmpty();
        assertThat(sessions.deleteForUser("u1")).isEqualTo(1);
        assertThat(sessions.find("h-fresh")).isEmpty();
    }

    @Test
    void profilesAreUniquePerAccountAndEveryEditIsANewVersion() {
        DelegateProfileDao profiles = new DelegateProfileDao(store.database().jdbi());
        ProfileVersion v1 = new ProfileVersion(
                "p1", 1, "a1", "Build Tools", "tools", "echo one\n", List.of("tools"), true, 600, "user:admin", T0);
        profiles.insert(v1);
        ProfileVersion v2 = new ProfileVersion(
                "p1",
                2,
                "a1",
                "Build Kit",
                "tools",
                "echo two\n" + "x".repeat(65_000),
                List.of("kit", "tools"),
                false,
                30,
                "user:alice",
                T0.plusSeconds(5));

        assertThat(profiles.addVersion(v2)).isTrue();
        assertThat(profiles.addVersion(v2)).as("a stale edit").isFalse();
        DelegateProfile current = profiles.find("a1", "p1").orElseThrow();
        assertThat(current.current()).isEqualTo(v2);
        assertThat(current.createdBy()).isEqualTo("user:admin");
        assertThat(current.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(profiles.findByName("a1", "Build Kit")).isPresent();
        assertThat(profiles.findByName("a1", "Build Tools")).isEmpty();
        assertThat(profiles.versions("a1", "p1")).containsExactly(v2, v1);
        assertThat(profiles.find("a2", "p1")).isEmpty();
        assertThat(profiles.versions("a2", "p1")).isEmpty();
        assertThatThrownBy(() -> profiles.insert(
                        new ProfileVersion("p2", 1, "a1", "Build Kit", "", "", List.of(), false, 600, "x", T0)))
                .matches(DelegateProfileDao::isDuplicateName);
        profiles.insert(new ProfileVersion("p3", 1, "a2", "Build Kit", "", "", List.of(), false, 600, "x", T0));
        assertThat(profiles.list("a1")).extracting(DelegateProfile::id).containsExactly("p1");
        assertThat(profiles.listAll()).extracting(DelegateProfile::id).containsExactlyInAnyOrder("p1", "p3");
        assertThat(profiles.delete("a2", "p1")).isFalse();
        assertThat(profiles.delete("a1", "p1")).isTrue();
        assertThat(profiles.versions("a1", "p1")).isEmpty();
    }

    @Test
    void aProfileNamedOnFirstUseIsCreatedOnceAndPrimaryHasItsFixedId() throws Exception {
        DelegateProfileDao profiles = new DelegateProfileDao(store.database().jdbi());
        for (int round = 0; round < ROUNDS; round++) {
            String name = round == 0 ? "Build Agents" : "Build Agents " + round;
            List<String> ids = together(
                    6,
                    i -> () -> profiles.getOrCreate("a1", name, "delegate-token:default", T0)
                            .id());

            assertThat(Set.copyOf(ids))
                    .as("profile ids handed out for %s", name)
                    .hasSize(1);
        }

        DelegateProfile created = profiles.findByName("a1", "Build Agents").orElseThrow();
        assertThat(created.current().script()).isEmpty();
        assertThat(created.current().required()).isFalse();
        DelegateProfile primary = profiles.getOrCreate("a2", "Primary", "system", T0);
        assertThat(primary.id()).isEqualTo("primary-a2");
        assertThat(primary.isPrimary()).isTrue();
        assertThat(profiles.getOrCreate("a2", "Primary", "system", T0).id()).isEqualTo("primary-a2");
    }

    @Test
    void aGroupOverridesItsDelegatesProfileAndAProfileInUseByAGroupCannotBeDeleted() {
        DelegateProfileDao profiles = new DelegateProfileDao(store.database().jdbi());
        DelegateProfile p = profiles.getOrCreate("a1", "Build Tools", "x", T0);
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        DelegateGroup other = groups.getOrCreate("a1", "other", T0);

        assertThat(profiles.setGroupProfile("a2", g.id(), p.id(), T0)).isFalse();
        assertThat(profiles.setGroupProfile("a1", g.id(), p.id(), T0.plusSeconds(1)))
                .isTrue();
        assertThat(profiles.groupProfiles()).containsExactly(java.util.Map.entry(g.id(), p.id()));
        assertThat(groups.find("a1", g.id()).orElseThrow().selectors()).isEmpty();
        assertThatThrownBy(() -> profiles.delete("a1", p.id())).isInstanceOf(RuntimeException.class);
        assertThat(profiles.setGroupProfile("a1", g.id(), null, T0)).isTrue();
        assertThat(profiles.groupProfiles()).doesNotContainKey(other.id()).isEmpty();
        assertThat(profiles.delete("a1", p.id())).isTrue();
    }

    @Test
    void aDelegatesProfileRunIsChangedUnderLockKeepsItsOutputAndGoesWithTheDelegate() {
        ProfileRunDao runs = new ProfileRunDao(store.database().jdbi());
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        Delegate d = delegate("d", g, "s1");
        delegates.insert(d);
        ProfileRun running = new ProfileRun(
                d.id(),
                "a1",
                "p1",
                "Build Tools",
                3,
                "r1",
                org.opendelegate.protocol.ProfileRunStatus.RUNNING,
                null,
                T0,
                null,
                T0,
                2);
        ProfileRun failed = new ProfileRun(
                d.id(),
                "a1",
                "p1",
                "Build Tools",
                3,
                "r1",
                org.opendelegate.protocol.ProfileRunStatus.FAILED,
                2,
                T0,
                T0.plusSeconds(3),
                T0.plusSeconds(3),
                4);
        String big = "y".repeat(65_536);

        assertThat(runs.change(d.id(), stored -> {
                    assertThat(stored).isEmpty();
                    return java.util.Optional.of(new ProfileRunDao.StoredRun(running, "one\ntwo"));
                }))
                .isPresent();
        assertThat(runs.change(d.id(), stored -> java.util.Optional.empty())).isEmpty();
        runs.change(d.id(), stored -> {
            assertThat(stored.orElseThrow().run()).isEqualTo(running);
            return java.util.Optional.of(new ProfileRunDao.StoredRun(failed, big));
        });

        assertThat(runs.find("a1", d.id())).contains(failed);
        assertThat(runs.find("a2", d.id())).isEmpty();
        assertThat(runs.output("a1", d.id())).contains(big);
        assertThat(runs.output("a2", d.id())).isEmpty();
        assertThat(runs.listAll()).containsExactly(failed);
        assertThat(delegates.delete("a1", d.id())).isTrue();
        assertThat(runs.listAll()).isEmpty();
    }

    @Test
    void cloudProvidersRoundTripWithinTheirAccountWithUniqueNamesAndTheirLastTest() {
        CloudProviderDao providers = new CloudProviderDao(store.database().jdbi());
        CloudProvider p = new CloudProvider(
                "p1",
                "a1",
                "AWS prod",
                "AWS",
                "us-east-1",
                "ACCESS_KEY",
                List.of("ecs"),
                "AKIAIOSFODNN7EXAMPLE",
                "v1:sealed",
                "arn:aws:iam::123456789012:role/x",
                "ext",
                null,
                "test",
                T0,
                "test",
                T0);
        providers.insert(p);

        assertThat(providers.find("a1", "p1")).contains(p);
        assertThat(providers.find("a2", "p1")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> providers.insert(new CloudProvider(
                        "p2",
                        "a1",
                        "AWS prod",
                        "AWS",
                        "us-east-1",
                        "DELEGATE_IAM_ROLE",
                        List.of("ecs"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        "test",
                        T0,
                        "test",
                        T0)))
                .matches(CloudProviderDao::isDuplicateName);
        CloudProvider.LastTest test = new CloudProvider.LastTest(T0.plusSeconds(5), true, "Connected", "t1", "d1");
        providers.recordTest("a1", "p1", test);
        assertThat(providers.update(new CloudProvider(
                        "p1",
                        "a2",
                        "x",
                        "AWS",
                        "us-east-1",
                        "ACCESS_KEY",
                        List.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        "t",
                        T0,
                        "t",
                        T0)))
                .isFalse();
        assertThat(providers.list("a1"))
                .singleElement()
                .extracting(CloudProvider::lastTest)
                .isEqualTo(test);
        assertThat(providers.delete("a2", "p1")).isFalse();
        assertThat(providers.delete("a1", "p1")).isTrue();
    }

    @Test
    void aTaskKeepsItsSealedSecretsThroughClaimAndReads() {
        Task t = task("t-secret", null).withSealedSecrets("v1:ciphertext");
        tasks.insert(t);

        Task claimed =
                tasks.claim(t, "d1", "d1", "s1", T0.plusSeconds(30), T0, "{}").orElseThrow();

        assertThat(claimed.sealedSecrets()).isEqualTo("v1:ciphertext");
        assertThat(tasks.findById("t-secret").orElseThrow().sealedSecrets()).isEqualTo("v1:ciphertext");
        assertThat(tasks.findById("t-secret").orElseThrow().toString()).doesNotContain("ciphertext");
    }

    @Test
    void auditEventsAreFilteredAndPagedNewestFirst() {
        audit.record("a1", T0, "user:alice", "user.signed-in", "user", "u1", null);
        audit.record("a1", T0.plusSeconds(10), "user:bob", "user.disabled", "user", "u1", "x");
        audit.record("a1", T0.plusSeconds(20), "user:bob", "delegate-token.revoked", "delegate-token", "t1", null);
        audit.record("a1", T0.plusSeconds(30), "user:bob", "user_disabled", "user", "u2", null);
        audit.record("a2", T0.plusSeconds(40), "user:bob", "user.deleted", "user", "u9", null);

        assertThat(audit.search(filter(null, null, false, null, null, null, null, null, 10)))
                .extracting(AuditEvent::action)
                .containsExactly("user_disabled", "delegate-token.revoked", "user.disabled", "user.signed-in");
        assertThat(audit.search(filter(null, "user.", true, null, null, null, null, null, 10)))
                .as("a prefix matches `.` literally, `_` is not a wildcard")
                .extracting(AuditEvent::action)
                .containsExactly("user.disabled", "user.signed-in");
        assertThat(audit.search(filter("user:bob", "user.disabled", false, "user", "u1", null, null, null, 10)))
                .extracting(AuditEvent::detail)
                .containsExactly("x");
        assertThat(audit.search(
                        filter(null, null, false, null, null, T0.plusSeconds(10), T0.plusSeconds(30), null, 10)))
                .extracting(AuditEvent::action)
                .containsExactly("delegate-token.revoked", "user.disabled");
        List<AuditEvent> first = audit.search(filter(null, null, false, null, null, null, null, null, 2));
        List<AuditEvent> second = audit.search(
                filter(null, null, false, null, null, null, null, first.get(1).id(), 2));
        assertThat(second).extracting(AuditEvent::action).containsExactly("user.disabled", "user.signed-in");
    }

    private static AuditFilter filter(
            String actor,
            String action,
            boolean prefix,
            String targetType,
            String targetId,
            Instant from,
            Instant to,
            Long before,
            int limit) {
        return new AuditFilter("a1", actor, action, prefix, targetType, targetId, from, to, before, limit);
    }

    @Test
    void theLastActiveAdminCannotBeDemotedDisabledOrDeleted() {
        users.insert(user("u1", "a1", "ann"));
        users.insert(
                new ConsoleUser("u2", "a1", "val", "$2b$11$hash", Role.VIEWER, "system", T0, T0, null, false, null));

        assertThat(users.update("a1", "u1", Role.VIEWER, false, null)).isEqualTo(UserDao.Change.LAST_ADMIN);
        assertThat(users.update("a1", "u1", Role.ADMIN, true, T0)).isEqualTo(UserDao.Change.LAST_ADMIN);
        assertThat(users.delete("a1", "u1")).isEqualTo(UserDao.Change.LAST_ADMIN);
        assertThat(users.update("a2", "u1", Role.VIEWER, false, null)).isEqualTo(UserDao.Change.NOT_FOUND);
        assertThat(users.findById("u1").orElseThrow().activeAdmin()).isTrue();

        assertThat(users.update("a1", "u2", Role.VIEWER, true, T0)).isEqualTo(UserDao.Change.DONE);
        assertThat(users.findById("u2").orElseThrow().disabledAt()).isEqualTo(T0);
        assertThat(users.update("a1", "u2", Role.ADMIN, true, T0))
                .as("a disabled admin does not count")
                .isEqualTo(UserDao.Change.DONE);
        assertThat(users.update("a1", "u1", Role.VIEWER, false, null)).isEqualTo(UserDao.Change.LAST_ADMIN);
        assertThat(users.update("a1", "u2", Role.ADMIN, false, null)).isEqualTo(UserDao.Change.DONE);
        assertThat(users.update("a1", "u1", Role.VIEWER, false, null)).isEqualTo(UserDao.Change.DONE);
        assertThat(users.delete("a1", "u1")).isEqualTo(UserDao.Change.DONE);
        assertThat(users.findById("u1")).isEmpty();
    }

    /** Two admins demote each other at the same time: the account's row lock lets exactly one through. */
    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String a = "ua" + round;
            String b = "ub" + round;
            String account = "acct-" + round;
            accounts.insert(new Account(account, account, T0));
            users.insert(user(a, account, "a" + round));
            users.insert(user(b, account, "b" + round));

            List<UserDao.Change> results =
                    together(2, i -> () -> users.update(account, i == 0 ? a : b, Role.VIEWER, false, null));

            assertThat(results).containsExactlyInAnyOrder(UserDao.Change.DONE, UserDao.Change.LAST_ADMIN);
        }
    }

    private static ConsoleUser user(String id, String account, String username) {
        return new ConsoleUser(id, account, username, "$2b$11$hash", Role.ADMIN, "system", T0, T0, null, false, null);
    }

    /**
     * Runs one call per caller on as many threads, released together, and returns every result in caller
     * order. A caller that throws fails the test, with the count of callers that threw: a concurrency test
     * that dropped its futures would pass while callers fail.
     */
    private static <T> List<T> together(int callers, IntFunction<Callable<T>> call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CyclicBarrier start = new CyclicBarrier(callers);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<T> one = call.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return one.call();
                }));
            }
            List<T> results = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    failures.add(e instanceof ExecutionException ? e.getCause() : e);
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " of " + callers + " concurrent callers "
                        + "failed; the first: " + failures.get(0));
                failures.forEach(error::addSuppressed);
                throw error;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Task task(String id, String idempotencyKey) {
        return task(id, idempotencyKey, "api");
    }

    private static Task task(String id, String idempotencyKey, String source) {
        return task(id, "a1", idempotencyKey, source, T0);
    }

    private static Task task(String id, String accountId, String idempotencyKey, String source, Instant createdAt) {
        return Task.queued(
                id,
                accountId,
                new Task.Spec(
                        "echo",
                        JsonNodeFactory.instance.objectNode().put("n", 1),
                        List.of("ecs"),
                        java.util.Map.of("environmentType", "PROD"),
                        null,
                        idempotencyKey,
                        3,
                        60_000,
                        false,
                        source),
                "test",
                createdAt);
    }

    private static Delegate delegate(String name, DelegateGroup g, String session) {
        return new Delegate(
                Secrets.newId(),
                g.accountId(),
                g.id(),
                name,
                "host",
                "10.0.0.1",
                DelegateType.ECS,
                "FARGATE",
                IdentityKind.EPHEMERAL,
                "0.1.0",
                "Primary",
                List.of("a"),
                List.of("echo"),
                4,
                new EcsIdentity(
                        "arn:aws:ecs:us-east-1:1:task/c/t1",
                        "c",
                        "abc",
                        "ecs-delegate",
                        "awsvpc",
                        "FARGATE",
                        "us-east-1a",
                        "fam",
                        "1"),
                null,
                "i1",
                session,
                T0,
                T0,
                T0,
                null,
                null);
    }

    private static Delegate withSession(Delegate d, String session, Instant at) {
        return new Delegate(
                d.id(),
                d.accountId(),
                d.groupId(),
                d.name(),
                d.hostname(),
                d.ip(),
                d.type(),
                d.launchType(),
                d.identityKind(),
                "0.2.0",
                d.profileName(),
                d.selectors(),
                d.taskTypes(),
                d.capacity(),
                d.ecs(),
                d.tokenId(),
                "i2",
                session,
                d.firstRegisteredAt(),
                at,
                at,
                null,
                null);
    }
}
