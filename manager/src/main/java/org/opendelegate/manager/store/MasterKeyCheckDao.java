package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendelegate.manager.security.SecretStore;

/** The one sealed value that proves the master key is the store's key. */
public final class MasterKeyCheckDao implements SecretStore.CheckValue {
    private final Jdbi jdbi;

    public MasterKeyCheckDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<String> sealed() {
        return jdbi.withHandle(h -> h.createQuery("SELECT sealed FROM master_key_check WHERE id = 1")
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public String insertIfAbsent(String sealed, Instant at) {
        try {
            jdbi.useHandle(h -> h.createUpdate(
                            "INSERT INTO master_key_check (id, sealed, created_at) " + "VALUES (1, :s, :at)")
                    .bind("s", sealed)
                    .bind("at", Rows.timestamp(at))
                    .execute());
            return sealed;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) {
                return sealed().orElseThrow(() -> e);
            }
            throw e;
        }
    }
}
