package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.opendelegate.testkit.PostgresSchemas;

/** V5 gives every account that existed before it a Primary profile, on H2 and on PostgreSQL. */
class ProfileMigrationTest {

    @Test
    void existingAccountsGetTheirPrimaryProfileOnH2() {
        String url = "jdbc:h2:mem:od_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        migrate(url, "", null);
    }

    @Test
    void existingAccountsGetTheirPrimaryProfileOnPostgres() {
        String schema = PostgresSchemas.newName();
        try {
            migrate(PostgresSchemas.URL, PostgresSchemas.USER, schema);
        } finally {
            PostgresSchemas.drop(schema);
        }
    }

    private static void migrate(String url, String user, String schema) {
        var before = Flyway.configure()
                .dataSource(url, user, "")
                .locations("classpath:db/migration")
                .target(MigrationVersion.fromVersion("4"));
        if (schema != null) {
            before.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        before.load().migrate();
        Jdbi jdbi = Jdbi.create(url + (schema == null ? "" : "?currentSchema=" + schema), user, "");
        jdbi.useHandle(h ->
                h.execute("INSERT INTO account (id, name, created_at) VALUES ('old', 'Old', " + "CURRENT_TIMESTAMP)"));

        try (Database db = Database.open(url, user, "", Optional.ofNullable(schema))) {
            DelegateProfile primary = new DelegateProfileDao(db.jdbi())
                    .findByName("old", "Primary")
                    .orElseThrow();
            assertThat(primary.id()).isEqualTo("primary-old");
            assertThat(primary.isPrimary()).isTrue();
            assertThat(primary.current().script()).isEmpty();
            assertThat(primary.current().required()).isFalse();
            assertThat(primary.current().timeoutSeconds()).isEqualTo(600);
        }
    }
}
