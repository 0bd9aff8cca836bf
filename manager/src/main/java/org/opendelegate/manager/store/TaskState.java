package org.opendelegate.manager.store;

/** Where a task is in its life. */
public enum TaskState {
    /** Waiting for an eligible delegate. */
    QUEUED,
    /** Leased to a delegate. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    /** No eligible delegate appeared in time. */
    NOT_ASSIGNED;

    /** True for the states a task never leaves. */
    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
