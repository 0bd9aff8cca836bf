package org.opendelegate.manager.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for small store writes that many request threads make at once (new tasks, leases, outcomes):
 * the writes that arrive while a transaction is being committed are stored together in the
 * next one, so a thousand callers a second share a few dozen commits instead of queueing behind one commit
 * each. A lone write is stored at once; nobody waits for a batch to fill. Every caller returns only after
 * its own write is committed, with its own result.
 *
 * <p>When a batch fails, its writes are stored one by one, so only the caller whose write was at fault
 * hears about it.
 *
 * @param <I> one write
 * @param <O> what its caller learns (e.g. whether the row was there to update)
 */
public final class GroupCommit<I, O> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<I, O>(I item, CompletableFuture<O> done) {}

    private final Function<List<I>, List<O>> batchWriter;
    private final Function<I, O> singleWriter;
    private final int maxBatch;
    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param name the writer thread's name
     * @param maxBatch the most writes stored in one transaction
     * @param batchWriter stores writes in one transaction and returns their results in the same order
     * @param singleWriter stores one write on its own, for when a batch failed
     */
    public GroupCommit(String name, int maxBatch, Function<List<I>, List<O>> batchWriter, Function<I, O> singleWriter) {
        this.batchWriter = batchWriter;
        this.singleWriter = singleWriter;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Stores one write; returns once it is committed, or throws what the store threw for it
     * ({@link RejectedExecutionException} once the Manager is stopping).
     */
    public O submit(I item) {
        if (closed) {
            throw new RejectedExecutionException("the Manager is stopping");
        }
        Pending<I, O> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            throw new RejectedExecutionException("the Manager is stopping");
        }
        try {
            return pending.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    // The writer is never interrupted: an interrupt in the middle of a file write can close an embedded
    // database's file. It looks for the end between batches instead.
    private void run() {
        while (!closed) {
            List<Pending<I, O>> batch = new ArrayList<>();
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            store(batch);
        }
    }

    private void store(List<Pending<I, O>> batch) {
        List<O> results;
        try {
            results = batchWriter.apply(batch.stream().map(Pending::item).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException(
                        "the batch writer returned " + results.size() + " results for " + batch.size() + " writes");
            }
        } catch (RuntimeException batchFailed) {
            for (Pending<I, O> p : batch) {
                try {
                    p.done().complete(singleWriter.apply(p.item()));
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
            return;
        } catch (Error e) {
            // The writer must outlive one commit that died (a stack overflow in a driver, say): its callers hear of
            // it, and every later caller still has a writer, instead of all waiting for ever.
            LOG.error("A group commit failed; its {} writes are refused", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(new IllegalStateException("the store failed: " + e, e)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000); // the batch being committed finishes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending<I, O> p = queue.poll(); p != null; p = queue.poll()) {
            p.done().completeExceptionally(new RejectedExecutionException("the Manager is stopping"));
        }
    }
}
