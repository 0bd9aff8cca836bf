package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Task log lines. */
public final class TaskLogDao {
    /** Lines longer than this are cut, so one runaway line cannot fill the store. */
    public static final int MAX_LINE_LENGTH = 8000;

    private final Jdbi jdbi;

    public TaskLogDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Appends lines in order. */
    public void append(String accountId, String taskId, long fencingToken, List<TaskLogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO task_log (task_id, account_id, fencing_token, at, line) "
                    + "VALUES (:t, :a, :f, :at, :line)");
            for (TaskLogLine line : lines) {
                String text = line.line().length() <= MAX_LINE_LENGTH
                        ? line.line()
                        : line.line().substring(0, MAX_LINE_LENGTH - 3) + "...";
                batch.bind("t", taskId)
                        .bind("a", accountId)
                        .bind("f", fencingToken)
                        .bind("at", Rows.timestamp(line.at()))
                        .bind("line", text)
                        .add();
            }
            batch.execute();
        });
    }

    /** Lines after {@code afterId} (0 for all), oldest first. */
    public List<TaskLogLine> after(String taskId, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM task_log WHERE task_id = :t AND id > :after " + "ORDER BY id LIMIT :limit")
                .bind("t", taskId)
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new TaskLogLine(
                        rs.getLong("id"), rs.getLong("fencing_token"), Rows.instant(rs, "at"), rs.getString("line")))
                .list());
    }

    /** Helper for callers that build lines before they have ids. */
    public static TaskLogLine line(Instant at, String text) {
        return new TaskLogLine(0, 0, at, text);
    }
}
