package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The account secret store: secrets, their sealed versions, and the tasks that referenced them. Every read
 * and change is scoped to the account; values go in and out only sealed.
 */
public final class SecretDao {
    private static final RowMapper<AccountSecret> SECRET = ConstructorMapper.of(AccountSecret.class);
    private static final RowMapper<SecretVersion> VERSION = ConstructorMapper.of(SecretVersion.class);
    private static final RowMapper<SecretUse> USE = ConstructorMapper.of(SecretUse.class);

    private final Jdbi jdbi;
    private final Table<AccountSecret> secrets;

    public SecretDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.secrets = new Table<>(jdbi, "account_secret", SECRET);
    }

    /**
     * Stores a new secret with its first version, in one transaction.
     *
     * @throws org.jdbi.v3.core.statement.UnableToExecuteStatementException when the name is taken ({@link
     *     #isDuplicateName})
     */
    public void insert(AccountSecret s, String sealedValue) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO account_secret (id, account_id, name, description, current_version, "
                            + "created_by, created_at, updated_by, updated_at) VALUES (:id, :accountId, :name, "
                            + ":description, :currentVersion, :createdBy, :createdAt, :updatedBy, :updatedAt)")
                    .bindMethods(s)
                    .execute();
            insertVersion(h, s.id(), s.currentVersion(), sealedValue, s.updatedBy(), s.updatedAt());
        });
    }

    /**
     * Adds the next version and makes it current, unless another change came first.
     *
     * @param after the secret as it is to be (its current version is the new one, one above the stored one)
     * @return false when the stored current version is no longer the one before {@code after}'s (a concurrent
     *     update won) or the secret is gone
     */
    public boolean addVersion(AccountSecret after, String sealedValue) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE account_secret SET current_version = :v, description = :d, "
                            + "updated_by = :by, updated_at = :at WHERE id = :id AND account_id = :a "
                            + "AND current_version = :before")
                    .bind("v", after.currentVersion())
                    .bind("d", after.description())
                    .bind("by", after.updatedBy())
                    .bind("at", Rows.timestamp(after.updatedAt()))
                    .bind("id", after.id())
                    .bind("a", after.accountId())
                    .bind("before", after.currentVersion() - 1)
                    .execute();
            if (changed != 1) {
                return false;
            }
            insertVersion(h, after.id(), after.currentVersion(), sealedValue, after.updatedBy(), after.updatedAt());
            return true;
        });
    }

    /** Changes only the description (the value and its version stay); false when the secret is gone. */
    public boolean describe(String accountId, String id, String description, String by, Instant at) {
        return secrets.updateInAccount(
                accountId,
                id,
                "description = :d, updated_by = :by, updated_at = :at",
                u -> u.bind("d", description).bind("by", by).bind("at", Rows.timestamp(at)));
    }

    /** Deletes a secret, its versions and the record of where it was used; false when there was none. */
    public boolean delete(String accountId, AccountSecret s) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM task_secret_ref WHERE account_id = :a AND secret_name = :n")
                    .bind("a", accountId)
                    .bind("n", s.name())
                    .execute();
            return h.createUpdate("DELETE FROM account_secret WHERE id = :id AND account_id = :a")
                            .bind("id", s.id())
                            .bind("a", accountId)
                            .execute()
                    == 1;
        });
    }

    public Optional<AccountSecret> find(String accountId, String name) {
        return secrets.findInAccount(accountId, "name", name);
    }

    /** The secrets of an account by name. */
    public List<AccountSecret> list(String accountId) {
        return secrets.listInAccount(accountId, "name");
    }

    /** The versions of a secret, newest first. */
    public List<SecretVersion> versions(String secretId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT version, created_by, created_at FROM account_secret_version "
                        + "WHERE secret_id = :id ORDER BY version DESC")
                .bind("id", secretId)
                .map(VERSION)
                .list());
    }

    /** The sealed value of one version of a secret. */
    public Optional<String> sealedValue(String secretId, int version) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT sealed_value FROM account_secret_version WHERE secret_id = :id AND version = :v")
                .bind("id", secretId)
                .bind("v", version)
                .mapTo(String.class)
                .findOne());
    }

    /** Records that a stored task referenced these secrets. */
    public void recordUses(String accountId, String taskId, List<SecretRef> refs, Instant at) {
        if (refs.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO task_secret_ref (task_id, env_name, account_id, "
                    + "secret_name, secret_version, created_at) VALUES (:t, :e, :a, :n, :v, :at)");
            for (SecretRef r : refs) {
                batch.bind("t", taskId)
                        .bind("e", r.envName())
                        .bind("a", accountId)
                        .bind("n", r.secretName())
                        .bind("v", r.secretVersion())
                        .bind("at", Rows.timestamp(at))
                        .add();
            }
            batch.execute();
        });
    }

    /** The tasks that referenced a secret, newest first: at most {@code limit}. */
    public List<SecretUse> uses(String accountId, String name, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT r.task_id, r.env_name, r.secret_version, r.created_at, "
                        + "t.type AS task_type, t.state AS task_state, t.created_by AS task_created_by "
                        + "FROM task_secret_ref r JOIN task t ON t.id = r.task_id "
                        + "WHERE r.account_id = :a AND r.secret_name = :n "
                        + "ORDER BY r.created_at DESC, r.task_id, r.env_name")
                .bind("a", accountId)
                .bind("n", name)
                .setMaxRows(limit)
                .map(USE)
                .list());
    }

    /** How many tasks referenced each secret of the account that any task referenced. */
    public Map<String, SecretUsage> usage(String accountId) {
        Map<String, SecretUsage> usage = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT r.secret_name, COUNT(DISTINCT r.task_id) AS tasks, "
                        + "COUNT(DISTINCT CASE WHEN t.state IN " + TaskState.NOT_ENDED_SQL
                        + " THEN r.task_id END) AS active "
                        + "FROM task_secret_ref r JOIN task t ON t.id = r.task_id WHERE r.account_id = :a "
                        + "GROUP BY r.secret_name")
                .bind("a", accountId)
                .map((rs, ctx) -> usage.put(
                        rs.getString("secret_name"), new SecretUsage(rs.getLong("tasks"), rs.getLong("active"))))
                .list());
        return usage;
    }

    /** True when the exception says the name is taken in the account. */
    public static boolean isDuplicateName(Throwable e) {
        return Rows.isUniqueViolation(e);
    }

    private static void insertVersion(Handle h, String secretId, int version, String sealed, String by, Instant at) {
        h.createUpdate("INSERT INTO account_secret_version (secret_id, version, sealed_value, created_by, created_at) "
                        + "VALUES (:id, :v, :s, :by, :at)")
                .bind("id", secretId)
                .bind("v", version)
                .bind("s", sealed)
                .bind("by", by)
                .bind("at", Rows.timestamp(at))
                .execute();
    }
}
