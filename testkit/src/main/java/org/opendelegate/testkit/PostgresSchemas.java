package org.opendelegate.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Private schemas in the PostgreSQL server that runs on this machine (127.0.0.1:5432, user postgres,
 * database test), so that parallel test runs never share tables. The driver comes from the test's own
 * class path.
 */
public final class PostgresSchemas {
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private PostgresSchemas() {}

    /** A fresh schema name; the Manager creates the schema itself. */
    public static String newName() {
        return "od_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Drops a schema and everything in it. */
    public static void drop(String schema) {
        execute(URL, USER, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** Runs one statement on a database that takes no password: the PostgreSQL here, or an in-memory H2. */
    public static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run `" + sql + "` on " + url, e);
        }
    }
}
