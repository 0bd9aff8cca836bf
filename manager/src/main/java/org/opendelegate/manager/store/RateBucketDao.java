package org.opendelegate.manager.store;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Token buckets in the store, shared by every replica: each bucket is one row, changed under its row lock so
 * that replicas taking from the same bucket at once take one after the other.
 */
public final class RateBucketDao {
    /** A bucket's tokens and when they were last refilled (epoch milliseconds). */
    public record Level(double tokens, long atMillis) {}

    private final Jdbi jdbi;

    public RateBucketDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Changes the bucket {@code key} with {@code change} under its row lock; a bucket not stored yet starts at
     * {@code fresh}. {@code change} may run more than once (a transaction the database gave up is run again).
     */
    public void change(String key, Level fresh, UnaryOperator<Level> change) {
        if (changeStored(key, change)) {
            return;
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO rate_bucket (bucket_key, tokens, refilled_at_millis) "
                            + "VALUES (:key, :tokens, :at)")
                    .bind("key", key)
                    .bind("tokens", fresh.tokens())
                    .bind("at", fresh.atMillis())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (!Rows.isUniqueViolation(e)) {
                throw e; // another replica stored it first: fine, change theirs
            }
        }
        if (!changeStored(key, change)) {
            throw new IllegalStateException("the rate bucket " + key + " was stored and is gone");
        }
    }

    private boolean changeStored(String key, UnaryOperator<Level> change) {
        return jdbi.inTransaction(h -> {
            Optional<Level> before = h.createQuery("SELECT tokens, refilled_at_millis FROM rate_bucket "
                            + "WHERE bucket_key = :key FOR UPDATE")
                    .bind("key", key)
                    .map((rs, ctx) -> new Level(rs.getDouble("tokens"), rs.getLong("refilled_at_millis")))
                    .findOne();
            before.ifPresent(level -> {
                Level after = change.apply(level);
                h.createUpdate("UPDATE rate_bucket SET tokens = :tokens, refilled_at_millis = :at "
                                + "WHERE bucket_key = :key")
                        .bind("key", key)
                        .bind("tokens", after.tokens())
                        .bind("at", after.atMillis())
                        .execute();
            });
            return before.isPresent();
        });
    }
}
