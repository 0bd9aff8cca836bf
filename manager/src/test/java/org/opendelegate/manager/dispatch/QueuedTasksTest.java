package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.testing.TaskSpecs;

class QueuedTasksTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * The store's queue is read up to a row limit, oldest first. Tasks younger than the last row read were not
     * looked at, so the read says nothing about them: they stay queued here. Tasks older than that row which the
     * store no longer has queued were taken or ended elsewhere and are dropped.
     */
    @Test
    void aReadStoppedAtItsLimitDropsOnlyTasksOlderThanItsLastRow() {
        QueuedTasks queue = new QueuedTasks();
        Task takenElsewhere = task("a", 0);
        Task read = task("b", 1);
        Task younger = task("c", 2);
        List.of(takenElsewhere, read, younger).forEach(t -> queue.add(t, T0));

        queue.sync(List.of(read), false, T0.plusSeconds(10));

        assertThat(queue.all()).extracting(Task::id).containsExactly("b", "c");
    }

    @Test
    void aCompleteReadDropsEveryTaskCreatedBeforeItThatTheStoreNoLongerHasQueued() {
        QueuedTasks queue = new QueuedTasks();
        List.of(task("a", 0), task("b", 1), task("c", 2)).forEach(t -> queue.add(t, T0));

        queue.sync(List.of(task("b", 1)), true, T0.plusSeconds(10));

        assertThat(queue.all()).extracting(Task::id).containsExactly("b");
    }

    /**
     * A submission builds its task (its creation time), commits its row, then adds it here. A read of the store's
     * queue that began between the two did not see the row; the task, though created before the read, must stay
     * queued: dropping it left the task waiting until the next full read, 10 s later, with delegates asking.
     */
    @Test
    void aTaskThatEnteredTheQueueAfterTheReadBeganIsKeptThoughCreatedBeforeIt() {
        QueuedTasks queue = new QueuedTasks();
        Instant readAt = T0.plusSeconds(10);
        queue.add(task("old", 0), T0);
        queue.add(task("committedDuringTheRead", 5), readAt.plusMillis(1));

        queue.sync(List.of(), true, readAt);

        assertThat(queue.all()).extracting(Task::id).containsExactly("committedDuringTheRead");
    }

    /**
     * A poll takes a task out of the queue, then leases it in the store. A read of the store's queue that began
     * before that lease committed still shows the task queued: folding it in must not put it back, or the next
     * poll would pick a task that is no longer queued and fail its claim.
     */
    @Test
    void aTaskTakenHereIsNotPutBackByAReadThatPredatesItsLease() {
        Task leasing = task("leasing", 0);
        QueuedTasks queue = queueThatTook(leasing);

        queue.sync(List.of(leasing), true, T0.plusSeconds(10));

        assertThat(queue.all()).isEmpty();
    }

    /** Queued again after its lease (a higher fencing token): that is news, and the task is queued again. */
    @Test
    void aTaskTakenHereAndQueuedAgainInANewLeaseGenerationIsFoldedIn() {
        Task first = task("requeued", 0);
        QueuedTasks queue = queueThatTook(first);
        // The row as read after its lease expired: the lease's higher token (the fold-in goes by id and token).
        Task again = first.leasedTo("d1", "s1", T0.plusSeconds(30), T0, "[]");

        queue.sync(List.of(again), true, T0.plusSeconds(10));

        assertThat(queue.all()).extracting(Task::fencingToken).containsExactly(again.fencingToken());
    }

    /**
     * What was taken is remembered for two syncs, no longer: by then the read began after the write, so a task the
     * store still has queued in that generation really is queued (its lease failed) and is folded in again.
     */
    @Test
    void aTakenTaskIsForgottenAfterTwoSyncs() {
        Task t = task("lost-lease", 0);
        QueuedTasks queue = queueThatTook(t);

        queue.sync(List.of(t), true, T0.plusSeconds(10));
        queue.sync(List.of(t), true, T0.plusSeconds(20));
        assertThat(queue.all()).isEmpty();
        queue.sync(List.of(t), true, T0.plusSeconds(30));

        assertThat(queue.all()).extracting(Task::id).containsExactly("lost-lease");
    }

    /** A queue that had {@code task} and took it out for a lease. */
    private static QueuedTasks queueThatTook(Task task) {
        QueuedTasks queue = new QueuedTasks();
        queue.add(task, T0);
        assertThat(queue.take(task)).isTrue();
        return queue;
    }

    static Task task(String id, int secondsAfterT0) {
        return Task.queued(id, "a1", TaskSpecs.echo(), "test", T0.plusSeconds(secondsAfterT0));
    }
}
