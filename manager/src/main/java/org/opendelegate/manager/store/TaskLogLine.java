package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * One line of a task's log; {@code id} orders lines and lets a follower ask for what is new.
 *
 * @param seq the delegate's number for the line within its attempt, 0 when the delegate sent none (the parts
 *     of a line split for length share its number)
 * @param stream {@code stdout}, {@code stderr}, or null for the delegate's own lines
 */
public record TaskLogLine(long id, long fencingToken, Instant at, String line, long seq, String stream) {

    /** A line without a sequence number or stream. */
    public TaskLogLine(long id, long fencingToken, Instant at, String line) {
        this(id, fencingToken, at, line, 0, null);
    }

    /** True for what the task's process wrote to its standard error. */
    public boolean stderr() {
        return "stderr".equals(stream);
    }
}
