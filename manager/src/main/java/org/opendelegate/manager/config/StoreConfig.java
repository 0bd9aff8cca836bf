package org.opendelegate.manager.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the Manager keeps its data: embedded H2 in the data directory unless a database URL is given.
 *
 * @param dataDir the data directory (H2 files, generated keys)
 * @param dbUrl a JDBC URL of a PostgreSQL database, or empty for embedded H2
 * @param dbUser the database user
 * @param dbPassword the database password
 * @param masterKey the key that encrypts secrets at rest (base64 of 32 bytes); empty: generated once into
 *     the data directory
 * @param taskRetention how long a task is kept after it ended; empty keeps every task
 */
public record StoreConfig(
        Path dataDir,
        Optional<String> dbUrl,
        String dbUser,
        String dbPassword,
        Optional<String> masterKey,
        Optional<Duration> taskRetention) {
    /** How long an ended task is kept unless {@code OPENDELEGATE_TASK_RETENTION} says otherwise. */
    public static final Duration DEFAULT_TASK_RETENTION = Duration.ofDays(90);

    /** Where the master key comes from, for messages (never the key itself). */
    public String masterKeySource() {
        return masterKey.isPresent()
                ? "OPENDELEGATE_MASTER_KEY"
                : dataDir.resolve("master.key").toString();
    }

    /**
     * The JDBC URL to connect to. H2 writes no trace file ({@code TRACE_LEVEL_FILE=0}): its errors reach
     * the Manager's log as exceptions, and a trace file would be one more file holding SQL with data in it.
     */
    public String jdbcUrl() {
        return dbUrl.orElseGet(() -> embeddedUrl(dataDir.resolve("opendelegate")));
    }

    /** The JDBC URL of an embedded store kept in the files named {@code file} (H2 adds {@code .mv.db}). */
    public static String embeddedUrl(Path file) {
        return "jdbc:h2:file:" + file.toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;CACHE_SIZE=65536;TRACE_LEVEL_FILE=0";
    }

    /**
     * The schema named by a PostgreSQL URL's {@code currentSchema} parameter; the Manager creates it if
     * missing, so several installations (or test runs) can share one database.
     */
    public Optional<String> schema() {
        return dbUrl.flatMap(url -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]currentSchema=([A-Za-z0-9_]+)")
                    .matcher(url);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        });
    }

    /** True when the store is the embedded H2 database. */
    public boolean embedded() {
        return dbUrl.isEmpty();
    }

    /** A description safe to print: the URL without credentials. */
    public String describe() {
        return embedded() ? "embedded H2 in " + dataDir : dbUrl.get().replaceAll("password=[^&;]*", "password=***");
    }
}
