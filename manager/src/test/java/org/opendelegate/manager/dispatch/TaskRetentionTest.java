package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.testkit.MutableClock;

/** How a look of the retention works through a long history: in batches, account by account, within its budget. */
class TaskRetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private TestStore store;
    private TaskDao tasks;
    private AuditDao audit;
    private TaskRetention retention;

    @BeforeEach
    void setUp() {
        store = TestDatabases.h2();
        var jdbi = store.database().jdbi();
        AccountDao accounts = new AccountDao(jdbi);
        accounts.insert(new Account("a1", "One", T0));
        accounts.insert(new Account("a2", "Two", T0));
        tasks = new TaskDao(jdbi);
        audit = new AuditDao(jdbi);
        retention = new TaskRetention(Optional.of(Duration.ofDays(1)), accounts, tasks, audit, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aLookRemovesEveryEndedTaskPastTheCutoffInBatchesAndAuditsEachAccountOnce() {
        int many = TaskRetention.BATCH * 2 + 7;
        endAll("a1", many, TaskState.CANCELLED);
        endAll("a2", 3, TaskState.NOT_ASSIGNED);

        retention.removeEndedBefore(
                T0.plus(Duration.ofHours(1)),
                System.nanoTime() + Duration.ofMinutes(1).toNanos());

        assertThat(tasks.countByState().get(TaskState.CANCELLED)).isZero();
        assertThat(tasks.countByState().get(TaskState.NOT_ASSIGNED)).isZero();
        assertThat(removals("a1"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .startsWith("removed " + many + " tasks that ended before 2026-01-01T01:00:00Z "
                                + "(OPENDELEGATE_TASK_RETENTION=1d)")
                        .doesNotContain("left"));
        assertThat(removals("a2"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("removed 3 tasks"));
    }

    @Test
    void aLookThatRunsOutOfTimeStopsAfterABatchAndTheNextLookComesSooner() {
        TaskRetention hurried = new TaskRetention(
                Optional.of(Duration.ofDays(1)),
                new AccountDao(store.database().jdbi()),
                tasks,
                audit,
                clock,
                Duration.ZERO);
        int many = TaskRetention.BATCH * 2 + 5;
        endAll("a1", many, TaskState.FAILED);
        clock.advance(Duration.ofDays(2));

        hurried.tick();
        assertThat(tasks.countByState().get(TaskState.FAILED)).isEqualTo(many - TaskRetention.BATCH);
        assertThat(removals("a1"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .startsWith("removed " + TaskRetention.BATCH + " tasks")
                        .endsWith("; more are left for the next look"));

        hurried.tick();
        assertThat(tasks.countByState().get(TaskState.FAILED))
                .as("no look before %s", TaskRetention.AGAIN_AFTER)
                .isEqualTo(many - TaskRetention.BATCH);
        clock.advance(TaskRetention.AGAIN_AFTER);
        hurried.tick();
        clock.advance(TaskRetention.AGAIN_AFTER);
        hurried.tick();
        assertThat(tasks.countByState().get(TaskState.FAILED)).isZero();

        // Done: the next look is five minutes later by the Manager's clock.
        endAll("a1", 1, TaskState.FAILED);
        clock.advance(TaskRetention.AGAIN_AFTER);
        hurried.tick();
        assertThat(tasks.countByState().get(TaskState.FAILED)).isEqualTo(1);
        clock.advance(TaskRetention.EVERY);
        hurried.tick();
        assertThat(tasks.countByState().get(TaskState.FAILED)).isZero();
    }

    private void endAll(String accountId, int n, TaskState state) {
        for (int i = 0; i < n; i++) {
            String id = accountId + "-" + state + "-" + System.nanoTime() + "-" + i;
            tasks.insert(Task.queued(
                    id,
                    accountId,
                    new Task.Spec(
                            "echo",
                            JsonNodeFactory.instance.objectNode(),
                            List.of(),
                            java.util.Map.of(),
                            null,
                            null,
                            3,
                            60_000,
                            false,
                            "api"),
                    "alice",
                    T0));
            assertThat(tasks.finishQueued(id, state, null, "ended", T0)).isTrue();
        }
    }

    private List<AuditEvent> removals(String accountId) {
        return audit.list(accountId, 100).stream()
                .filter(e -> e.action().equals("tasks.removed"))
                .toList();
    }
}
