package org.opendelegate.manager.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.opendelegate.manager.config.StoreConfig;

/**
 * The Manager's SQL store: a connection pool, the schema migrations, and JDBI on top. Embedded H2 is
 * the zero-configuration default; PostgreSQL is the production store. The same migrations and DAOs
 * serve both.
 */
public final class Database implements AutoCloseable {
    /** The first key of the start-up advisory lock (the second is the schema's hash): issue 15's number. */
    private static final int START_UP_LOCK = 15;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean postgres;
    private final String user;
    private final String password;
    private final Optional<String> schema;
    private final Optional<EmbeddedStoreCompaction> compaction;

    private Database(HikariDataSource dataSource, String user, String password, Optional<String> schema) {
        this.dataSource = dataSource;
        this.compaction = EmbeddedStoreCompaction.start(dataSource);
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.jdbi = Jdbi.create(dataSource);
        jdbi.setHandleCallbackDecorator(new ConflictRetry());
        this.postgres = dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** Opens the store described by the configuration and brings its schema up to date. */
    public static Database open(StoreConfig config) {
        if (!config.embedded()) {
            return open(config.jdbcUrl(), config.dbUser(), config.dbPassword(), config.schema());
        }
        // The directory is owner-only before H2 creates anything in it; H2's files get their mode after open.
        OwnerOnlyFiles.secure(config.dataDir());
        Database database = open(config.jdbcUrl(), config.dbUser(), config.dbPassword(), config.schema());
        try {
            OwnerOnlyFiles.secure(config.dataDir());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /**
     * Opens a store at a JDBC URL, optionally in its own schema (created if missing), and migrates it.
     * Tests use the schema to stay apart from each other on one PostgreSQL database.
     */
    public static Database open(String jdbcUrl, String user, String password, Optional<String> schema) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(jdbcUrl.startsWith("jdbc:h2:") ? 16 : 24);
        // Idle connections shrink back to a few: N replicas on one PostgreSQL must not hold N x 24 open.
        hikari.setMinimumIdle(4);
        hikari.setPoolName("opendelegate-store");
        hikari.setConnectionTimeout(10_000);
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            // A batch of inserts (new tasks, their attempts, log lines) goes as one multi-row statement.
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        schema.ifPresent(hikari::setSchema);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
            schema.ifPresent(name -> flyway.schemas(name).defaultSchema(name).createSchemas(true));
            flyway.load().migrate();
            return new Database(dataSource, user, password, schema);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** JDBI over the pool. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** True when the store is PostgreSQL (used only to pick a faster statement where one exists). */
    public boolean isPostgres() {
        return postgres;
    }

    /**
     * A connection of its own, outside the pool, in the store's schema, for a caller that keeps it open for
     * long (the cross-replica listener, {@code cluster/PostgresSignals}). Reads and writes on it fail after
     * {@code socketTimeoutSeconds} without an answer, so a cut network is noticed. The caller closes it.
     */
    public Connection openDedicatedConnection(int socketTimeoutSeconds) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        properties.setProperty("connectTimeout", String.valueOf(socketTimeoutSeconds));
        properties.setProperty("tcpKeepAlive", "true");
        Connection c = java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
        try {
            if (schema.isPresent()) {
                c.setSchema(schema.get());
            }
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Runs the first-start work (the bootstrap: default account, admin, key, token) while no other replica on
     * this store runs it: replicas started at the same instant on an empty schema would otherwise each see no
     * account and each create one. On PostgreSQL the lock is a session advisory lock keyed by the schema
     * (replicas wait for it on a connection of their own; the work uses the pool), released when the work
     * ends or, if the replica dies, when its connection closes. Embedded H2 belongs to one process, which
     * runs its start-up once, so there it runs the work as it is.
     */
    public <T> T underStartUpLock(Supplier<T> work) {
        if (!postgres) {
            return work.get();
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock =
                    c.prepareStatement("SELECT pg_advisory_lock(" + START_UP_LOCK + ", hashtext(current_schema()))")) {
                lock.execute();
            }
            try {
                return work.get();
            } finally {
                try (PreparedStatement unlock = c.prepareStatement(
                        "SELECT pg_advisory_unlock(" + START_UP_LOCK + ", hashtext(current_schema()))")) {
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the store's start-up lock: " + e.getMessage(), e);
        }
    }

    /** True when a connection can be taken and answers within two seconds. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The compaction of an embedded store kept in a file; empty on PostgreSQL. */
    Optional<EmbeddedStoreCompaction> embeddedCompaction() {
        return compaction;
    }

    @Override
    public void close() {
        compaction.ifPresent(EmbeddedStoreCompaction::close);
        dataSource.close();
    }
}
