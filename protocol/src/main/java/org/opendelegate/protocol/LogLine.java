package org.opendelegate.protocol;

import java.time.Instant;

/**
 * One line of task output.
 *
 * @param at when the delegate saw the line
 * @param text the line, without its line break
 * @param seq the line's number within the task attempt, from 1 and without gaps; the Manager stores a line only
 *     when its number is above the last one it stored for that attempt, so a progress call sent again stores
 *     nothing twice. Null from delegates that predate it (their lines are stored as they come).
 * @param stream {@link #STDOUT} or {@link #STDERR} for what the task's process wrote, null for the delegate's
 *     own lines
 */
public record LogLine(Instant at, String text, Long seq, String stream) {
    /** The stream name of a process's standard output. */
    public static final String STDOUT = "stdout";
    /** The stream name of a process's standard error. */
    public static final String STDERR = "stderr";

    /** A line without a number or stream, as delegates before sequence numbers send it. */
    public LogLine(Instant at, String text) {
        this(at, text, null, null);
    }
}
