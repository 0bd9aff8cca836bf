package org.opendelegate.manager.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.opendelegate.protocol.ProfileRunStatus;

/** The last profile run of each delegate, with the tail of its output. */
public final class ProfileRunDao {
    private static final String COLUMNS = "delegate_id, account_id, profile_id, profile_name, version, run_id, "
            + "status, exit_code, started_at, finished_at, updated_at, output_lines";
    private static final RowMapper<ProfileRun> MAPPER = (rs, ctx) -> new ProfileRun(
            rs.getString("delegate_id"),
            rs.getString("account_id"),
            rs.getString("profile_id"),
            rs.getString("profile_name"),
            rs.getInt("version"),
            rs.getString("run_id"),
            ProfileRunStatus.valueOf(rs.getString("status")),
            rs.getObject("exit_code", Integer.class),
            Rows.instant(rs, "started_at"),
            Rows.instant(rs, "finished_at"),
            Rows.instant(rs, "updated_at"),
            rs.getLong("output_lines"));

    /** A run as stored, with its kept output. */
    public record StoredRun(ProfileRun run, String output) {}

    private final Jdbi jdbi;
    private final Table<ProfileRun> runs;

    public ProfileRunDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.runs = new Table<>(
                jdbi, "delegate_profile_run", "SELECT " + COLUMNS + " FROM delegate_profile_run", "account_id", MAPPER);
    }

    /** Every delegate's last run, without output, for the in-memory view. */
    public List<ProfileRun> listAll() {
        return runs.listAll();
    }

    public Optional<ProfileRun> find(String accountId, String delegateId) {
        return runs.findInAccount(accountId, "delegate_id", delegateId);
    }

    /** The kept output of a delegate's last run. */
    public Optional<String> output(String accountId, String delegateId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT output FROM delegate_profile_run " + "WHERE account_id = :a AND delegate_id = :d")
                .bind("a", accountId)
                .bind("d", delegateId)
                .mapTo(String.class)
                .findOne());
    }

    /**
     * Changes a delegate's run in one transaction, with the row locked: {@code change} sees what is
     * stored (if anything) and returns what to store, or empty to leave it. Returns what was stored.
     */
    public Optional<StoredRun> change(String delegateId, Function<Optional<StoredRun>, Optional<StoredRun>> change) {
        return jdbi.inTransaction(h -> {
            Optional<StoredRun> stored = h.createQuery("SELECT " + COLUMNS + ", output FROM delegate_profile_run "
                            + "WHERE delegate_id = :d FOR UPDATE")
                    .bind("d", delegateId)
                    .map((rs, ctx) -> new StoredRun(MAPPER.map(rs, ctx), rs.getString("output")))
                    .findOne();
            Optional<StoredRun> next = change.apply(stored);
            next.ifPresent(n -> write(h, n, stored.isPresent()));
            return next;
        });
    }

    private static void write(Handle h, StoredRun stored, boolean exists) {
        ProfileRun r = stored.run();
        String sql = exists
                ? "UPDATE delegate_profile_run SET account_id = :a, profile_id = :p, profile_name = :n, version = :v, "
                        + "run_id = :r, status = :s, exit_code = :e, started_at = :start, finished_at = :end, "
                        + "updated_at = :at, output_lines = :lines, output = :o WHERE delegate_id = :d"
                : "INSERT INTO delegate_profile_run (" + COLUMNS + ", output) VALUES (:d, :a, :p, :n, :v, :r, :s, :e, "
                        + ":start, :end, :at, :lines, :o)";
        h.createUpdate(sql)
                .bind("d", r.delegateId())
                .bind("a", r.accountId())
                .bind("p", r.profileId())
                .bind("n", r.profileName())
                .bind("v", r.version())
                .bind("r", r.runId())
                .bind("s", r.status().name())
                .bind("e", r.exitCode())
                .bind("start", Rows.timestamp(r.startedAt()))
                .bind("end", Rows.timestamp(r.finishedAt()))
                .bind("at", Rows.timestamp(r.updatedAt()))
                .bind("lines", r.outputLines())
                .bind("o", stored.output())
                .execute();
    }
}
