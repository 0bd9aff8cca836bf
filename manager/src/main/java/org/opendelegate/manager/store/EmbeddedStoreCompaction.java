package org.opendelegate.manager.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows the growth of the embedded store's file while the Manager runs.
 *
 * <p>H2 writes every commit as a new chunk of pages appended to its file (the Manager opens it with {@code
 * WRITE_DELAY=0}, so that a task is on disk when it is acknowledged). The next commits replace most pages of a
 * chunk, but H2 reuses a chunk's space only once none of its pages is live, and a few pages of most chunks stay
 * live for good (an index leaf that filled up, a finished task's row). Moving those pages elsewhere is H2's
 * compaction, which only its background writer runs, and that writer does not run with {@code WRITE_DELAY=0}.
 * Left alone, the file grew by about 42 KiB a task (a few commits each) for as long as the Manager ran: 1.2 GiB
 * after 24,000 tasks, of which a few tens of MiB are live data ({@code bench/store-growth.sh}).
 *
 * <p>So this runs H2's online compaction itself, in small steps: every {@link #EVERY}, when less than {@link
 * #TARGET_FILL_PERCENT} % of the chunks' space holds live pages, it rewrites the live pages of the emptiest
 * chunks older than H2's retention time (45 s), at most {@link #BYTES_PER_STEP} a step, and writes them. H2
 * reuses the space of the chunks this empties. Measured at 100 tasks a second, the file then grows by about
 * 9 KiB a task once the first two minutes are past, instead of 42. It does not shrink the file.
 *
 * <p>A step holds the store's lock while it rewrites and writes, so commits wait for it: under load, that
 * shows in the dispatch latency's tail (see {@code docs/benchmarks.md}).
 *
 * <p>The step runs on a thread of its own that is never interrupted: an interrupt in the middle of a file
 * read would close the store's file.
 */
public final class EmbeddedStoreCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreCompaction.class);

    /** Below this share of live pages in the chunks (percent), a step rewrites some. */
    static final int TARGET_FILL_PERCENT = 50;

    /** The most chunk bytes one step rewrites. */
    static final int BYTES_PER_STEP = 512 << 10;

    static final Duration EVERY = Duration.ofMillis(125);

    /** A store that keeps failing (a full disk) is reported at most this often, not at every step. */
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final MVStore store;
    private final ScheduledExecutorService thread;
    private long lastWarning = System.nanoTime() - WARN_EVERY.toNanos(); // only the step's thread uses it

    private EmbeddedStoreCompaction(MVStore store) {
        this.store = store;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "store-compaction");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts compacting the H2 store behind the pool, if it is one kept in a file; empty for PostgreSQL and for
     * an in-memory H2 store.
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
        var unused = compaction.thread.scheduleWithFixedDelay(
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

    private void stepQuietly() {
        try {
            step();
        } catch (RuntimeException e) {
            // The next step tries again; a store that failed is reported by the writes that fail with it too.
            long now = System.nanoTime();
            if (now - lastWarning >= WARN_EVERY.toNanos()) {
                lastWarning = now;
                LOG.warn(
                        "Compacting the embedded store failed; it is tried again every {} ms (this warning at most"
                                + " once a minute)",
                        EVERY.toMillis(),
                        e);
            }
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
