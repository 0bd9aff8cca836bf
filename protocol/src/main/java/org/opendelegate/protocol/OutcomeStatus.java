package org.opendelegate.protocol;

/** How a task attempt ended on the delegate. */
public enum OutcomeStatus {
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT
}
