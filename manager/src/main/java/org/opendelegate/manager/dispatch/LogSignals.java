package org.opendelegate.manager.dispatch;

/**
 * Tells log followers on this replica that lines were stored, so a line reaches a follower as soon as it is
 * stored instead of at the follower's next look. One counter for all tasks: followers are few and bounded, a
 * woken follower that finds nothing new for its task just waits again. Followers of a task whose delegate
 * talks to another replica still look every second.
 */
public final class LogSignals {
    private long version;

    /** Lines of a task were stored. */
    synchronized void stored(String taskId) {
        version++;
        notifyAll();
    }

    /** The current count of stores; pass it to {@link #awaitAfter} after reading what is stored. */
    public synchronized long version() {
        return version;
    }

    /** Waits until something was stored after {@code seen}, or at most {@code millis}. */
    public synchronized void awaitAfter(long seen, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        long left = millis;
        while (version == seen && left > 0) {
            wait(left);
            left = (end - System.nanoTime()) / 1_000_000;
        }
    }
}
