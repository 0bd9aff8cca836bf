import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendelegate.manager.dispatch.TaskRetention;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskState;

/**
 * What removing a long history costs: an embedded store (or a PostgreSQL database) holding N tasks that ran and ended
 * 100 days ago, each with its attempt and some log lines, and N/10 tasks that ended since; then the Manager's
 * retention (90 days) looks, as often as it takes, until only the recent tasks are left. Reports the looks, the wall
 * time and CPU per removed task of the thread that removes, and what stays. Run by bench/task-retention.sh with the
 * Manager's jar on the class path.
 */
public class TaskRetentionBench {
    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int old = Integer.parseInt(args[1]);
        int linesPerTask = Integer.parseInt(args[2]);
        boolean postgres = args.length > 3 && !args[3].isBlank();
        String schema = "retention_bench_" + ProcessHandle.current().pid();
        Files.createDirectories(dir);
        try (Database db = postgres
                ? Database.open(args[3], "postgres", "", Optional.of(schema))
                : Database.open(StoreConfig.embeddedUrl(dir.resolve("store")), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO account (id, name, created_at) VALUES ('acct-bench', 'Bench', CURRENT_TIMESTAMP)"));
            TaskDao tasks = new TaskDao(db.jdbi());
            TaskLogDao logs = new TaskLogDao(db.jdbi());
            long fill = System.nanoTime();
            store(tasks, logs, "old", old, linesPerTask, LONG_AGO);
            Instant now = LONG_AGO.plus(Duration.ofDays(100));
            store(tasks, logs, "new", old / 10, linesPerTask, now.minus(Duration.ofDays(1)));
            System.out.printf(
                    "stored %d tasks that ended 100 days ago and %d that ended yesterday, %d log lines each, in %.1f s%n",
                    old,
                    old / 10,
                    linesPerTask,
                    (System.nanoTime() - fill) / 1e9);

            MovingClock clock = new MovingClock(now);
            TaskRetention retention = new TaskRetention(
                    Optional.of(Duration.ofDays(90)),
                    new AccountDao(db.jdbi()),
                    tasks,
                    new AuditDao(db.jdbi()),
                    clock);
            var threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            List<Double> looks = new ArrayList<>();
            long left = old;
            while (left > 0 && looks.size() < 1000) {
                clock.advance(Duration.ofMinutes(5));
                long look = System.nanoTime();
                retention.tick();
                looks.add((System.nanoTime() - look) / 1e9);
                left = tasks.countByState().get(TaskState.SUCCEEDED) - old / 10;
            }
            double seconds = (System.nanoTime() - wall) / 1e9;
            System.out.printf(
                    "removed %d tasks in %d looks (longest %.1f s, the budget is 20 s) in %.1f s: %.0f tasks/s; "
                            + "removing thread CPU %.0f us per task; left: %d old, %d recent%n",
                    old - left,
                    looks.size(),
                    looks.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    seconds,
                    (old - left) / seconds,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / Math.max(1, old - left),
                    left,
                    tasks.countByState().get(TaskState.SUCCEEDED) - left);
            if (postgres) {
                db.jdbi().useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
            }
        }
    }

    /** Tasks that ran on a delegate and succeeded at {@code at}, with their log lines, 500 to a transaction. */
    private static void store(TaskDao tasks, TaskLogDao logs, String prefix, int count, int lines, Instant at) {
        for (int start = 0; start < count; start += 500) {
            List<TaskDao.TaskWrite> batch = new ArrayList<>();
            List<Task> leased = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                Task t = Task.queued(
                                String.format("%s%033d", prefix, i),
                                "acct-bench",
                                new Task.Spec(
                                        "echo",
                                        JsonNodeFactory.instance.objectNode().put("n", i),
                                        List.of("bench"),
                                        Map.of(),
                                        null,
                                        null,
                                        3,
                                        60_000,
                                        false,
                                        "api"),
                                "apikey:bench",
                                at)
                        .leasedTo("delegate-" + i % 50, "session-" + i % 50, at.plusSeconds(30), at, "[]");
                batch.add(new TaskDao.NewLeasedTask(t, "bench-" + i % 50));
                leased.add(t);
            }
            tasks.writeAll(batch);
            for (Task t : leased) {
                List<org.opendelegate.manager.store.TaskLogLine> text = new ArrayList<>();
                for (int l = 0; l < lines; l++) {
                    text.add(TaskLogDao.line(at, "line " + l + " of a script's output, about sixty characters long"));
                }
                logs.append("acct-bench", t.id(), 1, text);
                tasks.finish(t.id(), t.fencingToken(), TaskState.SUCCEEDED, null, null, null, at, "SUCCEEDED");
            }
        }
    }

    /** The Manager's clock, moved by the bench from one look to the next. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
