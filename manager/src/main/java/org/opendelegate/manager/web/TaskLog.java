package org.opendelegate.manager.web;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.manager.dispatch.TaskLogPage;

/**
 * A page of a task's log as the console shows it: each line with its time, and a divider where another
 * attempt (another fencing token) begins. Lines come from delegates and are untrusted.
 *
 * @param lines the lines after the cursor, oldest first
 * @param done no more lines will come: the task ended and this page had room for all that was left
 */
public record TaskLog(List<Line> lines, boolean done) {
    /** Lines fetched at once; a full page means more may be waiting. */
    static final int PAGE = 500;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * One line.
     *
     * @param attemptStart set on the first line of an attempt after the first: "Attempt with fencing token 2"
     */
    public record Line(
            long id,
            long fencingToken,
            String time,
            String timeExact,
            String text,
            String attemptStart,
            boolean stderr) {}

    /** @param previousToken the fencing token of the line before these (0 when there is none) */
    static TaskLog of(TaskLogPage page, long previousToken) {
        List<Line> lines = new ArrayList<>();
        long token = previousToken;
        for (TaskLogPage.Line l : page.lines()) {
            String start = token != 0 && l.fencingToken() != token
                    ? "Next attempt (fencing token " + l.fencingToken() + ")"
                    : null;
            token = l.fencingToken();
            lines.add(new Line(
                    l.id(),
                    l.fencingToken(),
                    l.at() == null ? "" : TIME.format(l.at()),
                    Ago.exact(l.at()),
                    l.text(),
                    start,
                    "stderr".equals(l.stream())));
        }
        return new TaskLog(lines, page.done());
    }

    /** Where the next page starts. */
    public long lastId() {
        return lines.isEmpty() ? 0 : lines.get(lines.size() - 1).id();
    }
}
