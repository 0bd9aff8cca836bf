package org.opendelegate.manager.dispatch;

import java.util.List;
import org.opendelegate.manager.store.GroupCommit;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskDao.Lease;
import org.opendelegate.manager.store.TaskDao.NewLeasedTask;
import org.opendelegate.manager.store.TaskDao.NewTask;
import org.opendelegate.manager.store.TaskDao.OutcomeChanges;
import org.opendelegate.manager.store.TaskDao.TaskWrite;

/**
 * The task rows' busy writes of this replica, through one {@link GroupCommit}: new tasks, stored queued or already
 * leased to a delegate that waits, the leases polls take, and outcome reports. Whatever arrives while a
 * transaction commits is stored in the next one, whichever kind it is, so a task's writes (stored, leased, ended)
 * share their commits with other tasks' instead of each paying one (a commit is most of a write's cost in the
 * embedded store). Each caller returns once its own write is committed, with its own result; a failed
 * transaction is retried write by write, so only the faulty write fails.
 *
 * <p>A task handed to a waiting delegate at its submission comes here too: on one core its own commit on the
 * request thread cost more CPU than the hand-over to the writer, which then shares that commit with others.
 */
final class TaskWrites implements AutoCloseable {
    /** The most writes in one transaction. */
    private static final int MAX_BATCH = 256;

    private final GroupCommit<TaskWrite, Object> commits;

    TaskWrites(TaskDao tasks) {
        this.commits = new GroupCommit<>(
                "task-writes",
                MAX_BATCH,
                tasks::writeAll,
                write -> tasks.writeAll(List.of(write)).get(0));
    }

    /** Stores a new task as it is (queued). */
    void insert(Task task) {
        commits.submit(new NewTask(task));
    }

    /** Stores a new task already leased to a waiting delegate, with its first attempt. */
    void insertLeased(NewLeasedTask task) {
        commits.submit(task);
    }

    /**
     * Takes the leases; returns the tasks as leased (those taken or changed elsewhere first are missing). A poll
     * that found nothing to take parks at once: its empty lease does not wait for the writer.
     */
    @SuppressWarnings("unchecked") // TaskDao.writeAll answers a lease with the tasks it took
    List<Task> lease(Lease lease) {
        if (lease.claims().isEmpty()) {
            return List.of();
        }
        return (List<Task>) commits.submit(lease);
    }

    /** Applies a report's changes; returns, for each in order, whether it was applied. */
    @SuppressWarnings("unchecked") // TaskDao.writeAll answers a report with its applied flags
    List<Boolean> apply(OutcomeChanges report) {
        return (List<Boolean>) commits.submit(report);
    }

    /** Stops taking writes; the transaction being committed finishes. */
    @Override
    public void close() {
        commits.close();
    }
}
