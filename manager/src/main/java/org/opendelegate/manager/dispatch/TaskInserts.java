package org.opendelegate.manager.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores new tasks with group commit: submissions that arrive while a commit is under way are stored
 * together in the next transaction, so many concurrent submitters share one commit instead of queueing
 * behind one commit each. A lone submission is stored at once; nobody waits for a batch to fill. Every
 * caller returns only after its task is committed.
 */
final class TaskInserts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskInserts.class);
    private static final int MAX_BATCH = 256;

    private record Pending(Task task, CompletableFuture<Void> stored) {
    }

    private final TaskDao tasks;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    TaskInserts(TaskDao tasks) {
        this.tasks = tasks;
        this.writer = new Thread(this::run, "task-inserts");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stores a task; returns once it is committed, or throws what the store threw for it. */
    void insert(Task task) {
        if (closed) {
            throw new IllegalStateException("the Manager is stopping");
        }
        Pending pending = new Pending(task, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.stored().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void run() {
        while (!closed) {
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            store(batch);
        }
    }

    private void store(List<Pending> batch) {
        try {
            tasks.insertAll(batch.stream().map(Pending::task).toList());
            batch.forEach(p -> p.stored().complete(null));
        } catch (RuntimeException batchFailed) {
            // One task can spoil a batch (an idempotency key submitted twice at once): store them one by
            // one so only that task's submitter hears about it.
            for (Pending p : batch) {
                try {
                    tasks.insert(p.task());
                    p.stored().complete(null);
                } catch (RuntimeException e) {
                    p.stored().completeExceptionally(e);
                }
            }
            if (batch.size() == 1) {
                LOG.debug("A task insert failed", batchFailed);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        for (Pending p : queue) {
            p.stored().completeExceptionally(new IllegalStateException("the Manager is stopping"));
        }
    }
}
