import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;

/**
 * What the task counts of /metrics cost on a long history: an embedded store (or a PostgreSQL database) holding N
 * ended tasks, one queued and one running; then rounds of one row changed (a live store: no query result is reused),
 * the count of the tasks in flight and a pass over every task, each timed. Run by bench/task-counts.sh with the
 * Manager's jar on the class path.
 */
public class TaskCountsBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int ended = Integer.parseInt(args[1]);
        boolean postgres = args.length > 2 && !args[2].isBlank();
        String schema = "counts_bench_" + ProcessHandle.current().pid();
        Files.createDirectories(dir);
        try (Database db = postgres
                ? Database.open(args[2], "postgres", "", Optional.of(schema))
                : Database.open(StoreConfig.embeddedUrl(dir.resolve("store")), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO account (id, name, created_at) VALUES ('acct-bench', 'Bench', CURRENT_TIMESTAMP)"));
            TaskDao tasks = new TaskDao(db.jdbi());
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            tasks.insertAll(List.of(task("seed", at), task("queued", at), task("running", at)));
            var unused = tasks.claim(task("running", at), "d1", "d1", "s1", at.plusSeconds(30), at, "[]");

            // N copies of one task row, made in SQL (far quicker than N inserts), ended: 1 % failed, the rest succeeded.
            long fill = System.nanoTime();
            List<String> columns = db.jdbi().withHandle(h -> h.createQuery("SELECT column_name FROM "
                            + "information_schema.columns WHERE lower(table_name) = 'task'"
                            + (postgres ? " AND table_schema = '" + schema + "'" : "") + " ORDER BY ordinal_position")
                    .mapTo(String.class)
                    .list());
            for (int done = 0; done < ended; done += 100_000) {
                int n = Math.min(100_000, ended - done);
                String number = "(g + " + done + ")";
                String values = columns.stream()
                        .map(c -> switch (c.toLowerCase()) {
                            case "id" -> postgres
                                    ? "'e' || lpad(" + number + "::text, 12, '0')"
                                    : "CONCAT('e', LPAD(CAST(" + number + " AS VARCHAR), 12, '0'))";
                            case "state" -> "CASE WHEN MOD(" + number + ", 100) = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END";
                            default -> c;
                        })
                        .collect(Collectors.joining(", "));
                String series = postgres ? "generate_series(1, " + n + ") AS s(g)" : "SYSTEM_RANGE(1, " + n + ") AS s(g)";
                String sql = "INSERT INTO task (" + String.join(", ", columns) + ") SELECT " + values + " FROM task, "
                        + series + " WHERE task.id = 'seed'";
                db.jdbi().useHandle(h -> h.execute(sql));
            }
            db.jdbi().useHandle(h -> h.execute("DELETE FROM task WHERE id = 'seed'"));
            System.out.printf("stored %d ended tasks in %.1f s%n", ended, (System.nanoTime() - fill) / 1e9);

            for (int round = 1; round <= 5; round++) {
                int attempts = round;
                db.jdbi().useHandle(h -> h.execute("UPDATE task SET attempts = " + attempts + " WHERE id = 'queued'"));
                long a = System.nanoTime();
                Map<TaskState, Long> active = tasks.countActive();
                double activeMs = (System.nanoTime() - a) / 1e6;
                long p = System.nanoTime();
                Map<TaskState, Long> all = tasks.countByState();
                double passMs = (System.nanoTime() - p) / 1e6;
                System.out.printf(
                        "round %d: tasks in flight %.2f ms (%d queued, %d running); pass over every task %.0f ms"
                                + " (%d succeeded, %d failed): the next pass %.1f s later%n",
                        round,
                        activeMs,
                        active.get(TaskState.QUEUED),
                        active.get(TaskState.RUNNING),
                        passMs,
                        all.get(TaskState.SUCCEEDED),
                        all.get(TaskState.FAILED),
                        Math.max(1.0, 50 * passMs / 1000));
            }
            if (postgres) {
                db.jdbi().useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
            }
        }
    }

    private static Task task(String id, Instant at) {
        return Task.queued(
                id,
                "acct-bench",
                new Task.Spec(
                        "echo",
                        JsonNodeFactory.instance.objectNode().put("n", 1),
                        List.of("bench"),
                        Map.of(),
                        null,
                        null,
                        3,
                        60_000,
                        false,
                        "api"),
                "apikey:bench",
                at);
    }
}
