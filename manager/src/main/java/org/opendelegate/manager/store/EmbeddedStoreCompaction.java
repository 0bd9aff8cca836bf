package org.opendelegate.manager.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded store's file near the size of its live data while the Manager runs.
 *
 * <p>H2 writes every commit as a new chunk of pages appended to its file (the Manager opens it with {@code
 * WRITE_DELAY=0}, so that a task is written when it is acknowledged): some 45 KiB a commit. Two rules of H2
 * keep the space of old chunks from being reused, and this class works on both.
 *
 * <ul>
 *   <li><b>A dead chunk is kept for H2's retention time</b>, 45 s by default, because H2 assumes that the
 *       operating system may take that long to put written pages on the disk, and a chunk overwritten before
 *       the chunks that replaced it are on the disk would leave a corrupt file after a power loss. At 100 tasks
 *       a second, 45 s of chunks is some 500 MiB. Here the file is synced to the disk ({@code fsync}) every
 *       {@link #SYNC_EVERY}, so that assumption holds for a much shorter time, and the retention time is
 *       {@link #RETENTION} from the first sync on: 9 s of margin for a slow sync (a shorter one set in the
 *       store's URL is kept). The sync also bounds what a power loss can take to about a second of acknowledged
 *       work, where it was whatever the operating system had not written yet (up to some 35 s on Linux).
 *   <li><b>A chunk is reused only once none of its pages is live</b>, and a few pages of most chunks stay live
 *       for good (an index leaf that filled up, a finished task's row). Moving them is H2's compaction, which
 *       only H2's background writer runs, and that writer does not run with {@code WRITE_DELAY=0}. So every
 *       {@link #EVERY}, when less than {@link #TARGET_FILL_PERCENT} % of the chunks' space holds live pages,
 *       this rewrites the live pages of the emptiest chunks older than the retention time, at most {@link
 *       #BYTES_PER_STEP} a step, and writes them.
 * </ul>
 *
 * <p>Measured at 100 tasks a second ({@code bench/store-growth.sh 300 100}), the file is 255 MiB after 30,000
 * tasks and grows by 5–6 KiB a task, of which about 2 KiB is live data (finished tasks are kept); with the
 * compaction alone it was 721 MiB after 24,000 tasks, and with neither it grew by 42 KiB a task. It does not
 * shrink the file.
 *
 * <p>A step holds the store's lock while it rewrites and writes, so commits wait for it: under load, that
 * shows in the dispatch latency's tail (see {@code docs/benchmarks.md}). A sync does not hold the lock.
 *
 * <p>The work runs on a thread of its own that is never interrupted: an interrupt in the middle of a file
 * read would close the store's file.
 */
public final class EmbeddedStoreCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreCompaction.class);

    /** Below this share of live pages in the chunks (percent), a step rewrites some. */
    static final int TARGET_FILL_PERCENT = 50;

    /** The most chunk bytes one step rewrites. */
    static final int BYTES_PER_STEP = 512 << 10;

    static final Duration EVERY = Duration.ofMillis(125);

    /** How often the file is synced to the disk. */
    static final Duration SYNC_EVERY = Duration.ofSeconds(1);

    /** How long a dead chunk is kept before its space is reused: well above {@link #SYNC_EVERY}. */
    static final Duration RETENTION = Duration.ofSeconds(10);

    /** A store that keeps failing (a full disk) is reported at most this often, not at every step. */
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final MVStore store;
    private final ScheduledExecutorService thread;
    private final AtomicLong syncs = new AtomicLong();
    private long lastWarning = System.nanoTime() - WARN_EVERY.toNanos(); // only the store's thread uses it

    private EmbeddedStoreCompaction(MVStore store) {
        this.store = store;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "store-compaction");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts syncing and compacting the H2 store behind the pool, if it is one kept in a file; empty for
     * PostgreSQL and for an in-memory H2 store.
     */
    static Optional<EmbeddedStoreCompaction> start(DataSource dataSource) {
        MVStore store;
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                return Optional.empty();
            }
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            store = session.getDatabase().getStore().getMvStore();
        } catch (SQLException e) {
            throw new IllegalStateException("could not reach the embedded store: " + e.getMessage(), e);
        }
        if (store.getFileStore() == null) {
            return Optional.empty();
        }
        EmbeddedStoreCompaction compaction = new EmbeddedStoreCompaction(store);
        var unusedSync = compaction.thread.scheduleWithFixedDelay(
                compaction::syncQuietly, 0, SYNC_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        var unusedStep = compaction.thread.scheduleWithFixedDelay(
                compaction::stepQuietly, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(compaction);
    }

    /**
     * One step: rewrites the live pages of the emptiest old chunks when the chunks hold less than {@link
     * #TARGET_FILL_PERCENT} live pages.
     *
     * @return whether it rewrote anything
     */
    boolean step() {
        if (store.isClosed() || !store.compact(TARGET_FILL_PERCENT, BYTES_PER_STEP)) {
            return false;
        }
        // The rewritten pages are written now, by this thread, rather than by the next commit of a request.
        store.commit();
        return true;
    }

    /** The size of the store's file, in bytes. */
    long fileBytes() {
        return store.getFileStore().size();
    }

    /** How many syncs of the file ended well. */
    long syncs() {
        return syncs.get();
    }

    /** How long a dead chunk is kept before its space is reused, in milliseconds. */
    int retentionMillis() {
        return store.getRetentionTime();
    }

    private void syncQuietly() {
        try {
            if (!store.isClosed()) {
                store.sync();
                // Once everything written so far is on the disk, a dead chunk can be reused sooner.
                if (syncs.incrementAndGet() == 1 && store.getRetentionTime() > RETENTION.toMillis()) {
                    store.setRetentionTime((int) RETENTION.toMillis());
                }
            }
        } catch (RuntimeException e) {
            warn("Syncing", SYNC_EVERY, e);
        }
    }

    private void stepQuietly() {
        try {
            step();
        } catch (RuntimeException e) {
            warn("Compacting", EVERY, e);
        }
    }

    // The next run tries again; a store that failed is reported by the writes that fail with it too.
    private void warn(String work, Duration every, RuntimeException e) {
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_EVERY.toNanos()) {
            lastWarning = now;
            LOG.warn(
                    "{} the embedded store failed; it is tried again every {} ms (this warning at most once a minute)",
                    work,
                    every.toMillis(),
                    e);
        }
    }

    /** Stops compacting, after the step under way if any, before the store is closed. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A compaction step of the embedded store did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
