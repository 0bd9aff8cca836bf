package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The id of this Manager deployment: made once, at the first start on a store, and shared by every replica
 * on it. IAM registration proofs name it, so a proof made for one Manager cannot be replayed to another.
 */
public final class ManagerIdentityDao {
    private final Jdbi jdbi;

    public ManagerIdentityDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The stored id, or {@code candidate} stored now if there is none (the first replica to start wins). */
    public String getOrCreate(String candidate, Instant at) {
        Optional<String> existing = find();
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            jdbi.useHandle(
                    h -> h.createUpdate("INSERT INTO manager_identity (id, manager_id, created_at) VALUES (1, :m, :at)")
                            .bind("m", candidate)
                            .bind("at", Rows.timestamp(at))
                            .execute());
            return candidate;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) {
                return find().orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<String> find() {
        return jdbi.withHandle(h -> h.createQuery("SELECT manager_id FROM manager_identity WHERE id = 1")
                .mapTo(String.class)
                .findOne());
    }
}
