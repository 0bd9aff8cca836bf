package org.opendelegate.manager.store;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store call again when the database gave it up because of a conflict with another transaction
 * (a deadlock or serialization failure): the database has rolled it back, so running it again is safe, and
 * it is what every caller would otherwise have to do. Busy delegates make such conflicts normal: a
 * heartbeat that renews 80 leases and an outcome report that ends some of them lock the same rows in
 * different orders.
 *
 * <p>Only a whole unit of work is run again: a call made inside a transaction that is already open is left
 * to fail, so that the outer transaction, which the database rolled back too, is the one repeated.
 */
final class ConflictRetry implements HandleCallbackDecorator {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictRetry.class);
    static final int MAX_TRIES = 6;
    /**
     * Serialization failure (also H2's deadlock) and PostgreSQL's deadlock: detected at once, and the work
     * was rolled back. Lock timeouts are not retried: the call already waited the whole timeout.
     */
    private static final Set<String> CONFLICT_STATES = Set.of("40001", "40P01");

    @Override
    public <R, X extends Exception> HandleCallback<R, X> decorate(HandleCallback<R, X> callback) {
        return handle -> {
            if (handle.isInTransaction()) {
                return callback.withHandle(handle);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return callback.withHandle(handle);
                } catch (RuntimeException e) {
                    if (attempt >= MAX_TRIES || !isConflict(e)) {
                        throw e;
                    }
                    LOG.debug(
                            "Store conflict ({}); running the call again (try {} of {})",
                            e.getMessage(),
                            attempt + 1,
                            MAX_TRIES);
                    pause(attempt);
                }
            }
        };
    }

    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && CONFLICT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    // A few milliseconds, doubling, with jitter, so the two sides of a deadlock do not meet again.
    private static void pause(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, 2L << attempt);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to run a store call again", interrupted);
        }
    }
}
