package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Failed console sign-ins by key (a username at an address, or an address), shared by every replica on the
 * store so that a guesser round-robined over several replicas waits as long as on one.
 */
public final class SignInFailureDao {
    /** How many failures a key has and when the last one was. */
    public record Failures(int count, Instant last) {}

    private final Jdbi jdbi;

    public SignInFailureDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Counts one failure for the key at {@code now}; a count whose last failure is before {@code forgetBefore}
     * starts again at one. Safe when replicas count the same key at once (the first insert wins, the others
     * add to it).
     */
    public void countFailure(String key, Instant now, Instant forgetBefore) {
        jdbi.useHandle(h -> {
            if (addTo(h, key, now, forgetBefore) > 0) {
                return;
            }
            try {
                h.createUpdate("INSERT INTO sign_in_failure (failure_key, failures, last_failure_at) "
                                + "VALUES (:key, 1, :now)")
                        .bind("key", key)
                        .bind("now", Rows.timestamp(now))
                        .execute();
            } catch (UnableToExecuteStatementException e) {
                if (!Rows.isUniqueViolation(e)) {
                    throw e;
                }
                addTo(h, key, now, forgetBefore);
            }
        });
    }

    private static int addTo(Handle h, String key, Instant now, Instant forgetBefore) {
        return h.createUpdate("UPDATE sign_in_failure SET failures = CASE WHEN last_failure_at < :forget THEN 1 "
                        + "ELSE failures + 1 END, last_failure_at = :now WHERE failure_key = :key")
                .bind("key", key)
                .bind("now", Rows.timestamp(now))
                .bind("forget", Rows.timestamp(forgetBefore))
                .execute();
    }

    /** The key's failures, unless its last one is before {@code forgetBefore}. */
    public Optional<Failures> find(String key, Instant forgetBefore) {
        return jdbi.withHandle(h -> h.createQuery("SELECT failures, last_failure_at FROM sign_in_failure "
                        + "WHERE failure_key = :key AND last_failure_at >= :forget")
                .bind("key", key)
                .bind("forget", Rows.timestamp(forgetBefore))
                .map((rs, ctx) -> new Failures(rs.getInt("failures"), Rows.instant(rs, "last_failure_at")))
                .findOne());
    }

    public void clear(String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sign_in_failure WHERE failure_key = :key")
                .bind("key", key)
                .execute());
    }

    /** Deletes counts whose last failure is before {@code forgetBefore}; returns how many. */
    public int deleteForgotten(Instant forgetBefore) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sign_in_failure WHERE last_failure_at < :forget")
                .bind("forget", Rows.timestamp(forgetBefore))
                .execute());
    }
}
