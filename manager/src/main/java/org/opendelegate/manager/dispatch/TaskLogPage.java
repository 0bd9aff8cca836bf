package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskLogLine;

/**
 * A page of a task's log, as the API and the console follow it: the lines after a cursor, oldest first,
 * where the next page starts, and whether more can come. Lines come from delegates and are untrusted.
 *
 * @param next the line id to ask for lines after next time
 * @param done no more lines will come: the task ended and this page had room for all that was left
 */
public record TaskLogPage(String taskId, String state, List<Line> lines, long next, boolean done) {

    /**
     * One line; the fencing token tells which attempt wrote it.
     *
     * @param stream {@code stdout} or {@code stderr} for what the task's process wrote, null for the delegate's
     *     own lines and for lines of delegates that do not say
     */
    public record Line(long id, long fencingToken, Instant at, String text, String stream) {}

    static TaskLogPage of(Task task, List<TaskLogLine> raw, long afterId, int limit) {
        List<Line> lines = raw.stream()
                .map(l -> new Line(l.id(), l.fencingToken(), l.at(), l.line(), l.stream()))
                .toList();
        long next = lines.isEmpty() ? afterId : lines.get(lines.size() - 1).id();
        boolean ended = task.state().isTerminal();
        return new TaskLogPage(task.id(), task.state().name(), lines, next, ended && lines.size() < limit);
    }

    /** True when the task is in a final state (its log may still have lines past this page). */
    public boolean ended() {
        return !TaskStateNames.isActive(state);
    }
}
