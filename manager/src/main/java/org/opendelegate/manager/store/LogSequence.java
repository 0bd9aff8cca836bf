package org.opendelegate.manager.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The high-water mark of a task attempt's numbered log lines: which lines of a progress call are new. A line
 * whose number is not above the last one stored was stored before (a call sent again) or arrives out of
 * order, and is ignored. Lines without a number (older delegates) are always new.
 */
final class LogSequence {
    private long last;
    private long keptSeq = -1;

    /**
     * @param storedSeq the task's stored high-water mark
     * @param storedToken the fencing token (attempt) that mark belongs to
     * @param fencingToken the attempt that sends lines now; a new attempt numbers from 1 again
     */
    LogSequence(long storedSeq, long storedToken, long fencingToken) {
        this.last = storedToken == fencingToken ? storedSeq : 0;
    }

    /** The lines not stored yet, in order. */
    List<TaskLogLine> newLines(List<TaskLogLine> lines) {
        List<TaskLogLine> fresh = new ArrayList<>(lines.size());
        for (TaskLogLine line : lines) {
            long seq = line.seq();
            // The parts of one long line share its number and follow each other.
            if (seq <= 0 || seq == keptSeq) {
                fresh.add(line);
            } else if (seq > last) {
                fresh.add(line);
                last = seq;
                keptSeq = seq;
            }
        }
        return fresh;
    }

    /** The high-water mark after {@link #newLines}. */
    long last() {
        return last;
    }
}
