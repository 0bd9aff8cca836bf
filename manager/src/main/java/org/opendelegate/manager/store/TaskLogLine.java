package org.opendelegate.manager.store;

import java.time.Instant;

/** One line of a task's log; {@code id} orders lines and lets a follower ask for what is new. */
public record TaskLogLine(long id, long fencingToken, Instant at, String line) {}
