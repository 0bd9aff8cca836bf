package org.opendelegate.manager.store;

/**
 * How many tasks kept in the store referenced a secret, and how many of them are queued or running now.
 */
public record SecretUsage(long tasks, long activeTasks) {
    /** A secret no task referenced. */
    public static final SecretUsage NONE = new SecretUsage(0, 0);
}
