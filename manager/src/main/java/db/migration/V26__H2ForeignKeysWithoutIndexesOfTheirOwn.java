package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, drops the foreign keys of the three tables every task writes to: {@code task.account_id},
 * {@code task_attempt.task_id} and {@code task_log.task_id}. On PostgreSQL it changes nothing.
 *
 * <p>Why: H2 backs each foreign key with an index of exactly its columns, and it created one for each of these
 * although another index already starts with that column. H2 2.4 (this migration's time) also carried out every
 * {@code UPDATE} as a removal and an addition of the row in every index of the table, whatever columns changed
 * (2.5 touches only the indexes whose columns changed). So the index on
 * {@code task.account_id} alone was rewritten twice at every lease, renewal and outcome of every task, and
 * the one on {@code task_attempt.task_id} at every attempt's end, for nothing: no query reads them. PostgreSQL
 * creates no index for a foreign key, so there its check costs one primary-key lookup and stays.
 *
 * <p>What keeps the rows consistent on H2 without them: nothing deletes an account or a task, a task is
 * stored under the account its caller is authenticated in, an attempt is stored in the transaction that
 * leases its task, and a log line only for a task its delegate holds.
 *
 * <p>The keys are found by table and column, not by name: H2 named them itself ({@code CONSTRAINT_27}).
 */
public class V26__H2ForeignKeysWithoutIndexesOfTheirOwn extends BaseJavaMigration {
    /** A foreign key to drop on H2, by its table and its only column. */
    private record ForeignKey(String table, String column) {}

    private static final List<ForeignKey> KEYS = List.of(
            new ForeignKey("TASK", "ACCOUNT_ID"),
            new ForeignKey("TASK_ATTEMPT", "TASK_ID"),
            new ForeignKey("TASK_LOG", "TASK_ID"));

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("H2")) {
            return;
        }
        for (ForeignKey key : KEYS) {
            for (String name : namesOf(c, key)) {
                try (Statement drop = c.createStatement()) {
                    drop.execute("ALTER TABLE " + key.table() + " DROP CONSTRAINT \"" + name + "\"");
                }
            }
        }
    }

    /** The names H2 gave the foreign keys on the key's table and column (that column only), in the current schema. */
    private static List<String> namesOf(Connection c, ForeignKey key) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT tc.CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc "
                        + "WHERE tc.CONSTRAINT_TYPE = 'FOREIGN KEY' AND tc.TABLE_SCHEMA = CURRENT_SCHEMA AND tc.TABLE_NAME = ? "
                        + "AND (SELECT LISTAGG(k.COLUMN_NAME, ',') FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k "
                        + "WHERE k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME) = ?")) {
            q.setString(1, key.table());
            q.setString(2, key.column());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
