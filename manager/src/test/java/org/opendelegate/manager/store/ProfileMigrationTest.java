package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** V5 gives every account that existed before it a Primary profile, on H2 and on PostgreSQL. */
class ProfileMigrationTest {

    @Test
    void existingAccountsGetTheirPrimaryProfileOnH2() {
        OlderSchema.onH2("4", ProfileMigrationTest::existingAccountGetsItsPrimaryProfile);
    }

    @Test
    void existingAccountsGetTheirPrimaryProfileOnPostgres() {
        OlderSchema.onPostgres("4", ProfileMigrationTest::existingAccountGetsItsPrimaryProfile);
    }

    private static void existingAccountGetsItsPrimaryProfile(OlderSchema older) {
        older.jdbi()
                .useHandle(h -> h.execute(
                        "INSERT INTO account (id, name, created_at) VALUES ('old', 'Old', " + "CURRENT_TIMESTAMP)"));

        try (Database db = older.open()) {
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
