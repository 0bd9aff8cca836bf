package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.testing.TaskSpecs;
import org.opendelegate.manager.testing.TestDatabases;

/**
 * H2, opened as the Manager opens it ({@code WRITE_DELAY=0}), writes every commit as a new chunk and never
 * compacts on its own; {@link EmbeddedStoreCompaction} does. Without it, the file of a store that commits one
 * task at a time grows by tens of kilobytes a commit whatever the live data.
 */
class EmbeddedStoreCompactionTest {
    private static final int TASKS = 3_000;
    private static final long MIB = 1 << 20;

    @TempDir
    Path dataDir;

    @Test
    void theFileOfAStoreThatCommitsOneTaskAtATimeStaysNearItsLiveData() {
        // H2 keeps a dead chunk's space for its retention time (45 s) before reusing it; a test cannot wait that
        // long, so this store reuses it at once. What is tested is that the live pages get rewritten at all.
        String url = new StoreConfig(dataDir, Optional.empty(), "", "", Optional.empty(), Optional.empty()).jdbcUrl()
                + ";RETENTION_TIME=0";
        try (Database db = Database.open(url, "", "", Optional.empty())) {
            EmbeddedStoreCompaction compaction = db.embeddedCompaction().orElseThrow();
            db.jdbi()
                    .useHandle(h -> h.execute(
                            "INSERT INTO account (id, name, created_at) VALUES ('a1', 'A', CURRENT_TIMESTAMP)"));
            TaskDao tasks = new TaskDao(db.jdbi());
            Task.Spec spec = TaskSpecs.echo();
            String selectionLog = "x".repeat(1_000);
            for (int i = 0; i < TASKS; i++) {
                Instant now = Instant.now();
                // One commit per task, as a task handed to a parked poll is stored when nothing else is written.
                Task leased = Task.queued(String.format("%08x-0000-8000-8000-%012x", i, i), "a1", spec, "test", now)
                        .leasedTo("d1", "s1", now.plusSeconds(60), now, selectionLog);
                tasks.writeAll(List.of(new TaskDao.NewLeasedTask(leased, "delegate-1")));
                if (i % 100 == 99) {
                    compaction.step();
                }
            }
            long stored = db.jdbi()
                    .withHandle(h -> h.select("SELECT COUNT(*) FROM task")
                            .mapTo(Long.class)
                            .one());
            assertThat(stored).isEqualTo(TASKS);
            // 11 MiB with compaction, 54 MiB without (3,000 rows of about 1.5 KB and their index entries).
            assertThat(compaction.fileBytes()).isLessThan(24 * MIB);
        }
    }

    @Test
    void theFileIsSyncedEverySecondSoThatDeadChunksAreReusedAfterTenSecondsRatherThan45() throws Exception {
        String url = new StoreConfig(dataDir, Optional.empty(), "", "", Optional.empty(), Optional.empty()).jdbcUrl();
        try (Database db = Database.open(url, "", "", Optional.empty())) {
            EmbeddedStoreCompaction compaction = db.embeddedCompaction().orElseThrow();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (compaction.syncs() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(compaction.syncs()).isGreaterThanOrEqualTo(3);
            assertThat(compaction.retentionMillis()).isEqualTo(10_000);
        }
    }

    @Test
    void onlyAStoreKeptInAFileIsCompacted() {
        try (TestDatabases.TestStore memory = TestDatabases.h2();
                TestDatabases.TestStore postgres = TestDatabases.postgres()) {
            assertThat(memory.database().embeddedCompaction()).isEmpty();
            assertThat(postgres.database().embeddedCompaction()).isEmpty();
        }
    }
}
