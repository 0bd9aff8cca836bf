package org.opendelegate.manager.store;

import java.util.Arrays;
import java.util.stream.Collectors;

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

    /** The states a task has not ended in ({@link #isTerminal} false), as an SQL list: {@code ('QUEUED', 'RUNNING')}. */
    static final String NOT_ENDED_SQL = Arrays.stream(values())
            .filter(s -> !s.isTerminal())
            .map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** True for the states a task never leaves. */
    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
