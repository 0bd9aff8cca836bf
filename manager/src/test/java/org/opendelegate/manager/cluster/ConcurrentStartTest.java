package org.opendelegate.manager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.PostgresSchemas;

/**
 * Three real Managers starting at the same instant on one PostgreSQL schema, empty or migrated by an older
 * version: one migrates (Flyway's lock), one bootstraps (the store's start-up lock), all come up, and the
 * store holds exactly one of everything the first start makes. Without the start-up lock the replicas each
 * see no account and each insert it (a duplicate-key failure at start). Takes a few seconds.
 */
class ConcurrentStartTest {
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    /** What the first start makes, and how many of each there must be. */
    private static final List<String> MADE_ONCE = List.of(
            "account",
            "console_user",
            "api_key",
            "delegate_token",
            "delegate_profile",
            "manager_identity",
            "master_key_check");

    private final String schema = PostgresSchemas.newName();
    private final List<TestManager> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestManager::close);
        PostgresSchemas.drop(schema);
    }

    @Test
    void threeManagersStartingAtOnceOnAnEmptySchemaAllComeUpAndBootstrapOnce() throws SQLException {
        PostgresSchemas.execute(PostgresSchemas.URL, PostgresSchemas.USER, "CREATE SCHEMA " + schema);

        startThreeAtOnce();

        assertMadeOnce();
    }

    @Test
    void threeManagersStartingAtOnceOnAnOlderSchemaMigrateItOnceAndBootstrapOnce() throws SQLException {
        Flyway.configure()
                .dataSource(PostgresSchemas.URL, PostgresSchemas.USER, "")
                .locations("classpath:db/migration")
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .target("23")
                .load()
                .migrate();

        startThreeAtOnce();

        assertMadeOnce();
        assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '24' AND success"))
                .isEqualTo(1);
    }

    /**
     * The sharpest case for the bootstrap: the schema is already migrated (by an installer, or a replica that
     * died right after migrating), so no replica waits for Flyway's lock and all three reach the bootstrap at
     * the same instant. (On an empty schema Flyway's lock spaces them out by its retry interval.)
     */
    @Test
    void threeManagersStartingAtOnceOnAMigratedButNeverBootstrappedSchemaBootstrapOnce() throws SQLException {
        Flyway.configure()
                .dataSource(PostgresSchemas.URL, PostgresSchemas.USER, "")
                .locations("classpath:db/migration")
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .load()
                .migrate();

        startThreeAtOnce();

        assertMadeOnce();
    }

    private void startThreeAtOnce() {
        CyclicBarrier together = new CyclicBarrier(3);
        List<CompletableFuture<TestManager>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return TestManager.start(
                        Map.of(
                                "OPENDELEGATE_DB_URL",
                                PostgresSchemas.URL + "?currentSchema=" + schema,
                                "OPENDELEGATE_DB_USER",
                                PostgresSchemas.USER,
                                "OPENDELEGATE_MASTER_KEY",
                                MASTER_KEY),
                        Clock.systemUTC());
            }));
        }
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<TestManager> start : starts) {
            try {
                started.add(start.join());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        assertThat(failures).as("every replica starts").isEmpty();
        assertThat(started)
                .allSatisfy(m ->
                        assertThat(m.api().get("/api/v1/delegates").status()).isEqualTo(200));
    }

    private void assertMadeOnce() throws SQLException {
        for (String table : MADE_ONCE) {
            assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isEqualTo(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresSchemas.URL, PostgresSchemas.USER, "");
                Statement s = c.createStatement()) {
            c.setSchema(schema);
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
