package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.testing.TaskSpecs;

/**
 * An embedded store written by the H2 release that OpenDelegate shipped before (the build copies it to {@code
 * target/previous-h2}, outside the test classpath; its version is {@code h2.previous.version} in the root pom)
 * opens with the H2 on the classpath: the migrations find it up to date, its rows and indexes read as written,
 * and it takes new writes. An upgrade of the Manager must never cost a user the store.
 */
class EmbeddedStoreUpgradeTest {
    private static final Path PREVIOUS_H2 = Path.of("target", "previous-h2", "h2-previous.jar");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final int TASKS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByThePreviousH2OpensWithThisOneAndKeepsEveryRow() throws Exception {
        // The URL the Manager builds for its embedded store (StoreConfig), without the tuning settings.
        String url = "jdbc:h2:file:" + dir.resolve("opendelegate") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        String largePayload = "x".repeat(200_000);
        assertThat(PREVIOUS_H2)
                .as("copied by the build (mvn generate-test-resources)")
                .exists();

        try (URLClassLoader previous =
                new URLClassLoader(new URL[] {PREVIOUS_H2.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Driver driver = (Driver)
                    previous.loadClass("org.h2.Driver").getDeclaredConstructor().newInstance();
            DataSource store = new OneDriver(driver, url);
            try (Connection c = store.getConnection()) {
                assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("2.4.");
            }
            Flyway.configure()
                    .dataSource(store)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            Jdbi jdbi = Jdbi.create(store);
            new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
            TaskDao tasks = new TaskDao(jdbi);
            tasks.insertAll(IntStream.range(0, TASKS)
                    .mapToObj(i -> task("t" + i, "payload " + i, T0.plusSeconds(i)))
                    .toList());
            tasks.insert(task("large", largePayload, T0.plusSeconds(TASKS)));
            try (Connection c = store.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }

        try (Database db = Database.open(url, "sa", "", Optional.empty())) {
            String version = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT H2VERSION()")
                            .mapTo(String.class)
                            .one());
            assertThat(version).doesNotStartWith("2.4.");
            TaskDao tasks = new TaskDao(db.jdbi());
            // Read through the queue's index, oldest first, and by primary key.
            List<Task> queue = tasks.queued(TASKS + 10);
            assertThat(queue).hasSize(TASKS + 1);
            assertThat(queue.get(0).id()).isEqualTo("t0");
            assertThat(queue.get(TASKS - 1).id()).isEqualTo("t" + (TASKS - 1));
            assertThat(tasks.findById("t1234")
                            .orElseThrow()
                            .payload()
                            .get("text")
                            .asText())
                    .isEqualTo("payload 1234");
            assertThat(tasks.findById("large")
                            .orElseThrow()
                            .payload()
                            .get("text")
                            .asText())
                    .isEqualTo(largePayload);
            assertThat(tasks.list("a1", TaskState.QUEUED, null, List.of("api"), 5000))
                    .hasSize(TASKS + 1);

            tasks.insert(task("after-upgrade", "new", T0.plusSeconds(TASKS + 1)));
            assertThat(tasks.queued(TASKS + 10))
                    .hasSize(TASKS + 2)
                    .last()
                    .extracting(Task::id)
                    .isEqualTo("after-upgrade");
        }
    }

    private static Task task(String id, String text, Instant createdAt) {
        return Task.queued(
                id, "a1", TaskSpecs.echo(JsonNodeFactory.instance.objectNode().put("text", text)), "test", createdAt);
    }

    /** Connections from one driver object, which DriverManager would not hand out across class loaders. */
    private record OneDriver(Driver driver, String url) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Properties credentials = new Properties();
            credentials.setProperty("user", "sa");
            credentials.setProperty("password", "");
            return driver.connect(url, credentials);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
