package org.opendelegate.manager.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Task log lines, bounded per task: the first half of the allowed bytes is kept as written, then one gap
 * line, then a rolling last half from which the oldest lines are dropped. The end of a log holds the error,
 * so it is never the part that goes. The gap line is written empty when the first half fills and is hidden
 * until something is dropped; from then on it says how much.
 */
public final class TaskLogDao {
    /** The longest line the store holds, in characters; callers split longer lines first. */
    public static final int MAX_LINE_LENGTH = 65_536;

    private static final int GAP = -1;

    /** The text of the gap line, from what was dropped so far. */
    @FunctionalInterface
    public interface GapNote {
        String text(long droppedLines, long droppedBytes);
    }

    private final Jdbi jdbi;

    public TaskLogDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Appends lines in order, without a bound (tests of the store alone); how many were new. */
    public int append(String accountId, String taskId, long fencingToken, List<TaskLogLine> lines) {
        return append(accountId, taskId, fencingToken, lines, Long.MAX_VALUE, (l, b) -> "");
    }

    /**
     * Appends lines in order, then drops the oldest lines after the gap until the task keeps at most
     * {@code maxBytes}. The task row is locked meanwhile, so two calls for one task never interleave. Numbered
     * lines at or below the attempt's high-water mark were stored before and are skipped; the mark is kept in
     * the task row in the same transaction ({@link LogSequence}).
     *
     * @return how many of the lines were new and stored
     */
    public int append(
            String accountId, String taskId, long fencingToken, List<TaskLogLine> given, long maxBytes, GapNote note) {
        if (given.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            State state = h.createQuery("SELECT log_bytes, log_gap_id, log_dropped_lines, log_dropped_bytes, "
                            + "log_seq, log_seq_fencing_token FROM task WHERE id = :t FOR UPDATE")
                    .bind("t", taskId)
                    .map((rs, ctx) -> new State(
                            rs.getLong("log_bytes"),
                            rs.getObject("log_gap_id", Long.class),
                            rs.getLong("log_dropped_lines"),
                            rs.getLong("log_dropped_bytes"),
                            new LogSequence(rs.getLong("log_seq"), rs.getLong("log_seq_fencing_token"), fencingToken)))
                    .one();
            List<TaskLogLine> lines = state.sequence().newLines(given);
            if (lines.isEmpty()) {
                return 0;
            }
            long kept = state.bytes();
            Long gap = state.gapId();
            List<TaskLogLine> head = new ArrayList<>();
            List<TaskLogLine> tail = new ArrayList<>();
            for (TaskLogLine line : lines) {
                int bytes = bytes(line.line());
                if (gap == null && tail.isEmpty() && kept + bytes <= maxBytes / 2) {
                    head.add(line);
                } else {
                    tail.add(line);
                }
                kept += bytes;
            }
            insert(h, accountId, taskId, fencingToken, head);
            if (gap == null && !tail.isEmpty()) {
                gap = h.createUpdate("INSERT INTO task_log (task_id, account_id, fencing_token, at, line, line_bytes) "
                                + "VALUES (:t, :a, :f, :at, '', :gap)")
                        .bind("t", taskId)
                        .bind("a", accountId)
                        .bind("f", fencingToken)
                        .bind("at", Rows.timestamp(tail.get(0).at()))
                        .bind("gap", GAP)
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one();
            }
            insert(h, accountId, taskId, fencingToken, tail);
            Dropped dropped = kept > maxBytes ? dropOldestAfter(h, taskId, gap, kept - maxBytes) : Dropped.NONE;
            long droppedLines = state.droppedLines() + dropped.lines();
            long droppedBytes = state.droppedBytes() + dropped.bytes();
            if (dropped.lines() > 0) {
                h.createUpdate("UPDATE task_log SET line = :line WHERE id = :gap")
                        .bind("line", note.text(droppedLines, droppedBytes))
                        .bind("gap", gap)
                        .execute();
            }
            h.createUpdate("UPDATE task SET log_bytes = :kept, log_gap_id = :gap, log_dropped_lines = :dl, "
                            + "log_dropped_bytes = :db, log_seq = :seq, log_seq_fencing_token = :f WHERE id = :t")
                    .bind("kept", kept - dropped.bytes())
                    .bind("gap", gap)
                    .bind("dl", droppedLines)
                    .bind("db", droppedBytes)
                    .bind("seq", state.sequence().last())
                    .bind("f", fencingToken)
                    .bind("t", taskId)
                    .execute();
            return lines.size();
        });
    }

    private record State(long bytes, Long gapId, long droppedLines, long droppedBytes, LogSequence sequence) {}

    private record Dropped(long lines, long bytes) {
        static final Dropped NONE = new Dropped(0, 0);
    }

    /** Drops the oldest lines after the gap until at least {@code excess} bytes are gone. */
    private static Dropped dropOldestAfter(Handle h, String taskId, long gap, long excess) {
        long lines = 0;
        long bytes = 0;
        while (bytes < excess) {
            List<long[]> oldest = h.createQuery("SELECT id, line_bytes FROM task_log WHERE task_id = :t AND id > :gap "
                            + "ORDER BY id LIMIT 1000")
                    .bind("t", taskId)
                    .bind("gap", gap)
                    .map((rs, ctx) -> new long[] {rs.getLong("id"), rs.getLong("line_bytes")})
                    .list();
            if (oldest.isEmpty()) {
                break;
            }
            long cut = gap;
            for (long[] row : oldest) {
                if (bytes >= excess) {
                    break;
                }
                cut = row[0];
                bytes += row[1];
                lines++;
            }
            h.createUpdate("DELETE FROM task_log WHERE task_id = :t AND id > :gap AND id <= :cut")
                    .bind("t", taskId)
                    .bind("gap", gap)
                    .bind("cut", cut)
                    .execute();
        }
        return new Dropped(lines, bytes);
    }

    private static void insert(Handle h, String accountId, String taskId, long fencingToken, List<TaskLogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO task_log (task_id, account_id, fencing_token, at, line, "
                + "line_bytes, stream) VALUES (:t, :a, :f, :at, :line, :bytes, :stream)");
        for (TaskLogLine line : lines) {
            String text = line.line().length() <= MAX_LINE_LENGTH
                    ? line.line()
                    : line.line().substring(0, MAX_LINE_LENGTH - 3) + "...";
            batch.bind("t", taskId)
                    .bind("a", accountId)
                    .bind("f", fencingToken)
                    .bind("at", Rows.timestamp(line.at()))
                    .bind("line", text)
                    .bind("bytes", bytes(text))
                    .bind("stream", line.stream())
                    .add();
        }
        batch.execute();
    }

    /** A line's size in UTF-8 bytes. */
    public static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Lines after {@code afterId} (0 for all), oldest first; the gap line only once it says something. */
    public List<TaskLogLine> after(String taskId, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM task_log WHERE task_id = :t AND id > :after "
                        + "AND NOT (line_bytes = -1 AND line = '') ORDER BY id LIMIT :limit")
                .bind("t", taskId)
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new TaskLogLine(
                        rs.getLong("id"),
                        rs.getLong("fencing_token"),
                        Rows.instant(rs, "at"),
                        rs.getString("line"),
                        0,
                        rs.getString("stream")))
                .list());
    }

    /** The id of the task's newest stored log line, 0 when it has none. */
    public long lastId(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM task_log WHERE task_id = :t")
                .bind("t", taskId)
                .mapTo(Long.class)
                .one());
    }

    /** The log bytes a task's bounded log dropped so far, 0 for none. */
    public long droppedBytes(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT log_dropped_bytes FROM task WHERE id = :t")
                .bind("t", taskId)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
    }

    /** Helper for callers that build lines before they have ids. */
    public static TaskLogLine line(Instant at, String text) {
        return new TaskLogLine(0, 0, at, text);
    }

    /** A line as a delegate numbered it, before it has an id. */
    public static TaskLogLine line(Instant at, String text, long seq, String stream) {
        return new TaskLogLine(0, 0, at, text, seq, stream);
    }
}
