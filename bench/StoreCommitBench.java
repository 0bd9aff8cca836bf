import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskState;

/**
 * The embedded store's two commits of an idle dispatch, without HTTP: a task stored already leased to a waiting
 * delegate, then its outcome, one commit each, on the Manager's own H2 settings and schema. Reports what H2 wrote
 * to the file per task (steady from run to run, unlike time on a shared machine), the committing thread's CPU per
 * task, and each commit's latency. Run by bench/store-commit.sh with the Manager's jar on the class path.
 */
public class StoreCommitBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        try (Database db = Database.open(StoreConfig.embeddedUrl(dir.resolve("store")), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO account (id, name, created_at) VALUES ('acct-bench', 'Bench', CURRENT_TIMESTAMP)"));
            TaskDao tasks = new TaskDao(db.jdbi());
            var threads = ManagementFactory.getThreadMXBean();
            run(tasks, "w", warmUp, null);
            System.gc();
            long[] before = fileCounters(db);
            long cpu = threads.getCurrentThreadCpuTime();
            long[][] latencies = new long[2][measured];
            run(tasks, "m", measured, latencies);
            double cpuPerTask = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / measured;
            long[] after = fileCounters(db);
            System.out.printf(
                    "store commits of an idle dispatch (H2, %d tasks after %d warm-up): file written %.1f KiB per task "
                            + "in %.2f writes; committing thread CPU %.1f us per task%n",
                    measured,
                    warmUp,
                    (after[0] - before[0]) / 1024.0 / measured,
                    (after[1] - before[1]) / (double) measured,
                    cpuPerTask);
            System.out.printf(
                    "  leased insert commit p50 %s us p90 %s us; outcome commit p50 %s us p90 %s us%n",
                    percentile(latencies[0], 50),
                    percentile(latencies[0], 90),
                    percentile(latencies[1], 50),
                    percentile(latencies[1], 90));
        }
    }

    /** Each task: stored leased to one of 50 delegates (one commit), then finished (another commit). */
    private static void run(TaskDao tasks, String prefix, int count, long[][] latencies) {
        String log = selectionLog();
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now();
            String id = String.format("%s%035d", prefix, i);
            Task leased = Task.queued(
                            id,
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
                            now)
                    .leasedTo("delegate-" + i % 50, "session-" + i % 50, now.plusSeconds(30), now, log);
            long t0 = System.nanoTime();
            tasks.writeAll(List.of(new TaskDao.NewLeasedTask(leased, "bench-" + i % 50)));
            long t1 = System.nanoTime();
            tasks.finish(
                    id,
                    leased.fencingToken(),
                    TaskState.SUCCEEDED,
                    JsonNodeFactory.instance.objectNode().put("echo", i),
                    null,
                    null,
                    Instant.now(),
                    "SUCCEEDED");
            long t2 = System.nanoTime();
            if (latencies != null) {
                latencies[0][i] = t1 - t0;
                latencies[1][i] = t2 - t1;
            }
        }
    }

    /** A routing decision among four delegates, about the size of the one a plain task stores (1.2 KiB). */
    private static String selectionLog() {
        StringBuilder candidates = new StringBuilder();
        for (int d = 0; d < 4; d++) {
            candidates.append(d == 0 ? "" : ",")
                    .append("{\"delegateId\":\"0b5f2d1e-7c4a-4e1b-9a8d-00000000000")
                    .append(d)
                    .append("\",\"delegateName\":\"bench-")
                    .append(d)
                    .append("\",\"eligible\":true,\"reasons\":[\"selectors match\",\"scope matches\"],")
                    .append("\"running\":0,\"capacity\":10,\"asking\":true,\"score\":")
                    .append(100 - d)
                    .append(",\"chosen\":")
                    .append(d == 0)
                    .append('}');
        }
        return "[{\"at\":\"2026-01-01T00:00:00Z\",\"trigger\":\"SUBMITTED\",\"candidates\":[" + candidates + "]}]";
    }

    /** H2's counters of the bytes and writes it sent to the file so far. */
    private static long[] fileCounters(Database db) {
        Map<String, String> info = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                        + "WHERE SETTING_NAME IN ('info.FILE_WRITE_BYTES', 'info.FILE_WRITE')")
                .map((rs, ctx) -> info.put(rs.getString(1), rs.getString(2)))
                .list());
        return new long[] {Long.parseLong(info.get("info.FILE_WRITE_BYTES")), Long.parseLong(info.get("info.FILE_WRITE"))};
    }

    private static String percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.0f", sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e3);
    }
}
