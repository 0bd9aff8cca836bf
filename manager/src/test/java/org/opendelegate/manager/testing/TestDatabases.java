package org.opendelegate.manager.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.opendelegate.manager.store.Database;

/**
 * Stores for tests: a private in-memory H2 database, or a private schema in the PostgreSQL server that
 * runs on this machine (127.0.0.1:5432, user postgres, database test). Each is dropped when closed.
 */
public final class TestDatabases {
    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    /** A store and how to get rid of it. */
    public record TestStore(Database database, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
            drop.run();
        }
    }

    public static TestStore h2() {
        String name = "od_" + UUID.randomUUID().toString().replace("-", "");
        Database db = Database.open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "", "", Optional.empty());
        return new TestStore(db, () -> execute("jdbc:h2:mem:" + name, "", "SHUTDOWN"));
    }

    public static TestStore postgres() {
        String schema = newPostgresSchema();
        Database db = Database.open(PG_URL, PG_USER, "", Optional.of(schema));
        return new TestStore(db, () -> dropPostgresSchema(schema));
    }

    /** A fresh schema name; the Manager creates the schema itself. */
    public static String newPostgresSchema() {
        return "od_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static void dropPostgresSchema(String schema) {
        execute(PG_URL, PG_USER, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run `" + sql + "` on " + url, e);
        }
    }
}
