package org.opendelegate.manager.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/** Cloud providers. Every statement is scoped to the account. */
public final class CloudProviderDao {
    private final Jdbi jdbi;
    private final Table<CloudProvider> providers;

    public CloudProviderDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.providers = new Table<>(jdbi, "cloud_provider", (rs, ctx) -> map(rs));
    }

    /** Stores a new provider. */
    public void insert(CloudProvider p) {
        jdbi.useHandle(h -> bind(
                        h.createUpdate("INSERT INTO cloud_provider (id, account_id, name, type, region, "
                                + "credentials_type, delegate_selectors, access_key_id, secret_access_key, role_arn, external_id, "
                                + "created_by, created_at, updated_by, updated_at) VALUES (:id, :a, :name, :type, :region, :ct, :sel, "
                                + ":akid, :secret, :role, :ext, :cby, :cat, :uby, :uat)"),
                        p)
                .bind("cby", p.createdBy())
                .bind("cat", Rows.timestamp(p.createdAt()))
                .execute());
    }

    /** Replaces the settings of a provider (not its last test); false when it is not in the account. */
    public boolean update(CloudProvider p) {
        return jdbi.withHandle(h -> bind(
                                h.createUpdate("UPDATE cloud_provider SET name = :name, type = :type, "
                                        + "region = :region, credentials_type = :ct, delegate_selectors = :sel, access_key_id = :akid, "
                                        + "secret_access_key = :secret, role_arn = :role, external_id = :ext, updated_by = :uby, "
                                        + "updated_at = :uat WHERE id = :id AND account_id = :a"),
                                p)
                        .execute())
                == 1;
    }

    public boolean delete(String accountId, String id) {
        return providers.deleteInAccount(accountId, id);
    }

    public Optional<CloudProvider> find(String accountId, String id) {
        return providers.findInAccount(accountId, "id", id);
    }

    /** The providers of an account by name. */
    public List<CloudProvider> list(String accountId) {
        return providers.listInAccount(accountId, "name, id");
    }

    /** Records the outcome of a Test. */
    public void recordTest(String accountId, String id, CloudProvider.LastTest test) {
        String message = test.message() == null || test.message().length() <= 4000
                ? test.message()
                : test.message().substring(0, 3997) + "...";
        providers.updateInAccount(
                accountId,
                id,
                "last_test_at = :at, last_test_ok = :ok, last_test_message = :m, last_test_task_id = :t, "
                        + "last_test_delegate = :d",
                u -> u.bind("at", Rows.timestamp(test.at()))
                        .bind("ok", test.ok())
                        .bind("m", message)
                        .bind("t", test.taskId())
                        .bind("d", test.delegateName()));
    }

    /** True when the exception says the name is taken in the account. */
    public static boolean isDuplicateName(Throwable e) {
        return Rows.isUniqueViolation(e);
    }

    private static Update bind(Update u, CloudProvider p) {
        return u.bind("id", p.id())
                .bind("a", p.accountId())
                .bind("name", p.name())
                .bind("type", p.type())
                .bind("region", p.region())
                .bind("ct", p.credentialsType())
                .bind("sel", Rows.json(p.delegateSelectors()))
                .bind("akid", p.accessKeyId())
                .bind("secret", p.sealedSecretAccessKey())
                .bind("role", p.roleArn())
                .bind("ext", p.externalId())
                .bind("uby", p.updatedBy())
                .bind("uat", Rows.timestamp(p.updatedAt()));
    }

    private static CloudProvider map(ResultSet rs) throws SQLException {
        CloudProvider.LastTest test = rs.getTimestamp("last_test_at") == null
                ? null
                : new CloudProvider.LastTest(
                        Rows.instant(rs, "last_test_at"),
                        rs.getBoolean("last_test_ok"),
                        rs.getString("last_test_message"),
                        rs.getString("last_test_task_id"),
                        rs.getString("last_test_delegate"));
        return new CloudProvider(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("name"),
                rs.getString("type"),
                rs.getString("region"),
                rs.getString("credentials_type"),
                Rows.stringList(rs, "delegate_selectors"),
                rs.getString("access_key_id"),
                rs.getString("secret_access_key"),
                rs.getString("role_arn"),
                rs.getString("external_id"),
                test,
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"),
                rs.getString("updated_by"),
                Rows.instant(rs, "updated_at"));
    }
}
