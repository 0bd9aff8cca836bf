package org.opendelegate.protocol;

import java.time.Instant;

/**
 * One line of task output.
 *
 * @param at when the delegate saw the line
 * @param text the line, without its line break
 */
public record LogLine(Instant at, String text) {}
