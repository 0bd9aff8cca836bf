package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.TaskDao;

class TaskWritesTest {
    /** A store that cannot be reached: every write that goes to it fails. */
    private final TaskWrites writes = new TaskWrites(new TaskDao(Jdbi.create(() -> {
        throw new SQLException("the store cannot be reached");
    })));

    /**
     * Most polls find nothing to take. Their empty lease must not queue behind the writer's commits: the poll
     * would park late, and a task submitted meanwhile would miss it and wait queued.
     */
    @Test
    void aLeaseOfNothingIsAnsweredWithoutTheStore() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        TaskDao.Lease nothing = new TaskDao.Lease(List.of(), "d1", "delegate-1", "s1", now.plusSeconds(30), now);

        assertThat(writes.lease(nothing)).isEmpty();
        assertThatThrownBy(() -> writes.lease(new TaskDao.Lease(
                        List.of(new TaskDao.Claim(QueuedTasksTest.task("t1", 0), "[]")),
                        "d1",
                        "delegate-1",
                        "s1",
                        now.plusSeconds(30),
                        now)))
                .as("a lease of something does go to the store")
                .isInstanceOf(JdbiException.class);
        writes.close();
    }
}
