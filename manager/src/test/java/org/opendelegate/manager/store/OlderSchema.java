package org.opendelegate.manager.store;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Jdbi;
import org.opendelegate.testkit.PostgresSchemas;

/**
 * A store migrated up to an older version only, on H2 or on PostgreSQL: a migration test writes rows the way that
 * version held them, then opens the store ({@link #open()} runs the later migrations) and reads them back.
 *
 * @param schema the PostgreSQL schema, or null on H2
 */
record OlderSchema(String url, String user, String schema) {

    /** Runs {@code test} on a fresh in-memory H2 database migrated up to {@code version}. */
    static void onH2(String version, Consumer<OlderSchema> test) {
        String url = "jdbc:h2:mem:od_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        test.accept(migrated(new OlderSchema(url, "", null), version));
    }

    /** Runs {@code test} on a fresh PostgreSQL schema migrated up to {@code version}; the schema is dropped after. */
    static void onPostgres(String version, Consumer<OlderSchema> test) {
        String schema = PostgresSchemas.newName();
        try {
            test.accept(migrated(new OlderSchema(PostgresSchemas.URL, PostgresSchemas.USER, schema), version));
        } finally {
            PostgresSchemas.drop(schema);
        }
    }

    /** A handle on the older schema, for writing rows as that version held them. */
    Jdbi jdbi() {
        return Jdbi.create(url + (schema == null ? "" : "?currentSchema=" + schema), user, "");
    }

    /** Opens the store as the Manager does, which runs every later migration. */
    Database open() {
        return Database.open(url, user, "", Optional.ofNullable(schema));
    }

    private static OlderSchema migrated(OlderSchema store, String version) {
        var flyway = Flyway.configure()
                .dataSource(store.url, store.user, "")
                .locations("classpath:db/migration")
                .target(MigrationVersion.fromVersion(version));
        if (store.schema != null) {
            flyway.schemas(store.schema).defaultSchema(store.schema).createSchemas(true);
        }
        flyway.load().migrate();
        return store;
    }
}
