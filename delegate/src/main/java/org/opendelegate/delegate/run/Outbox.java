package org.opendelegate.delegate.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcomes of finished tasks that the Manager has not yet accepted, oldest first. An outcome stays here
 * while the Manager is unreachable and leaves only when the Manager answered it for good (accepted,
 * already applied, lease lost, or rejected), so every result is delivered once the Manager is back;
 * the Manager deduplicates repeats by fencing token. Thread-safe.
 */
public final class Outbox {
    private final Map<String, PendingOutcome> pending = new LinkedHashMap<>();
    private final Runnable onAdded;

    /** @param onAdded called after each new outcome, to wake the loop that delivers them */
    public Outbox(Runnable onAdded) {
        this.onAdded = onAdded;
    }

    /** Queues an outcome for delivery. */
    public void add(PendingOutcome outcome) {
        synchronized (this) {
            pending.put(outcome.taskId(), outcome);
        }
        onAdded.run();
    }

    /** The outcomes waiting, oldest first. */
    public synchronized List<PendingOutcome> snapshot() {
        return new ArrayList<>(pending.values());
    }

    /** Removes an outcome that was delivered or is dropped; true when it was here. */
    public synchronized boolean remove(String taskId) {
        boolean removed = pending.remove(taskId) != null;
        if (pending.isEmpty()) {
            notifyAll();
        }
        return removed;
    }

    /**
     * Removes this outcome if it still waits; true when it did. An outcome of a later lease of the same task
     * that took its place stays.
     */
    public synchronized boolean remove(PendingOutcome outcome) {
        if (!outcome.equals(pending.get(outcome.taskId()))) {
            return false;
        }
        return remove(outcome.taskId());
    }

    /** The outcome waiting for a task, or null. */
    public synchronized PendingOutcome get(String taskId) {
        return pending.get(taskId);
    }

    /** The ids of tasks whose outcomes wait. */
    public synchronized List<String> taskIds() {
        return new ArrayList<>(pending.keySet());
    }

    /** True when nothing waits. */
    public synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Waits until nothing waits or {@code deadline} passes; true when empty. */
    public synchronized boolean awaitEmpty(Instant deadline, Clock clock) throws InterruptedException {
        while (!pending.isEmpty()) {
            long left = deadline.toEpochMilli() - clock.millis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
